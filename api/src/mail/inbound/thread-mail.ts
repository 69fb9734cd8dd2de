import type { TenantTx } from '@parley/db';
import type { ParsedMail } from '../parse-mail.ts';
import { extractTicketNumbers, referencedMessageIds, type TicketHook } from '../thread-hints.ts';

export type ThreadMethod = 'message-id' | 'ticket-number' | 'sender-open-ticket';

export interface ThreadMatch { ticketId: string; method: ThreadMethod }

/**
 * Finds the ticket an incoming mail belongs to, inside the tenant's transaction (row-level
 * security: another tenant's Message-IDs and numbers are invisible, whatever the headers say).
 * Order: referenced Message-IDs (our articles and our sent mail), then ticket numbers in the
 * subject, then — only where the tenant enables it — the sender's most recent open ticket.
 * Merged tickets lead to the ticket they were merged into.
 */
export async function findThread(tx: TenantTx, p: { tenantId: string; parsed: ParsedMail; hook: TicketHook; bySenderOpenTicket: boolean }): Promise<ThreadMatch | null> {
  const ids = referencedMessageIds(p.parsed).slice(0, 50);
  if (ids.length) {
    const rows = await tx.$queryRaw<{ messageId: string; ticketId: string }[]>`
      SELECT "messageId", "ticketId" FROM "Article" WHERE "tenantId" = ${p.tenantId}::uuid AND "messageId" = ANY(${ids}::text[])
      UNION ALL
      SELECT "messageId", "ticketId" FROM "OutgoingMail" WHERE "tenantId" = ${p.tenantId}::uuid AND "messageId" = ANY(${ids}::text[]) AND "ticketId" IS NOT NULL`;
    for (const id of ids) {
      const hit = rows.find((r) => r.messageId === id);
      if (hit) return { ticketId: await followMerges(tx, hit.ticketId), method: 'message-id' };
    }
  }
  const numbers = extractTicketNumbers(p.parsed.subject, p.hook).slice(0, 10);
  if (numbers.length) {
    const tickets = await tx.ticket.findMany({ where: { tenantId: p.tenantId, number: { in: numbers } }, select: { id: true, number: true } });
    for (const n of numbers) {
      const hit = tickets.find((t) => t.number === n);
      if (hit) return { ticketId: await followMerges(tx, hit.id), method: 'ticket-number' };
    }
  }
  if (p.bySenderOpenTicket && p.parsed.from?.address) {
    const t = await tx.ticket.findFirst({
      where: {
        tenantId: p.tenantId, customerUser: { email: p.parsed.from.address.toLowerCase() },
        state: { type: { in: ['NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE'] } },
      },
      orderBy: { updatedAt: 'desc' }, select: { id: true },
    });
    if (t) return { ticketId: t.id, method: 'sender-open-ticket' };
  }
  return null;
}

async function followMerges(tx: TenantTx, ticketId: string): Promise<string> {
  let id = ticketId;
  for (let i = 0; i < 10; i++) {
    const t = await tx.ticket.findUnique({ where: { id }, select: { mergedIntoId: true } });
    if (!t?.mergedIntoId) return id;
    id = t.mergedIntoId;
  }
  return id;
}
