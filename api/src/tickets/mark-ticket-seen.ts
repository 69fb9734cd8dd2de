import type { TenantTx } from '@parley/db';
import { withTenant } from '@parley/db';
import type { TenantViewer } from '../auth/viewer.ts';
import { NotFoundError } from '../errors/app-error.ts';
import { loadQueueAccess, ticketVisibility } from './queue-access.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';

/**
 * Upserts the viewer's last-seen mark of a ticket (inside the caller's transaction). The list's
 * unread flag compares it with the ticket's last change, so only the newest mark counts.
 */
export async function upsertSeenMark(tx: TenantTx, viewer: TenantViewer, ticketId: string, at: Date) {
  if (viewer.kind === 'agent') {
    await tx.$executeRaw`
      INSERT INTO "TicketSeen" ("id", "tenantId", "ticketId", "userId", "seenAt")
      VALUES (gen_random_uuid(), ${viewer.tenantId}::uuid, ${ticketId}::uuid, ${viewer.userId}::uuid, ${at})
      ON CONFLICT ("tenantId", "ticketId", "userId") DO UPDATE SET "seenAt" = GREATEST("TicketSeen"."seenAt", EXCLUDED."seenAt")`;
  } else {
    await tx.$executeRaw`
      INSERT INTO "TicketSeen" ("id", "tenantId", "ticketId", "customerUserId", "seenAt")
      VALUES (gen_random_uuid(), ${viewer.tenantId}::uuid, ${ticketId}::uuid, ${viewer.customerUserId}::uuid, ${at})
      ON CONFLICT ("tenantId", "ticketId", "customerUserId") DO UPDATE SET "seenAt" = GREATEST("TicketSeen"."seenAt", EXCLUDED."seenAt")`;
  }
}

/** The viewer has seen the ticket as it is now: it no longer shows as unread in their list. */
export async function markTicketSeen(ctx: UseCaseContext, ticketId: string) {
  const { viewer } = ctx;
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const access = viewer.kind === 'agent' ? await loadQueueAccess(tx, viewer) : null;
    const ticket = await tx.ticket.findFirst({ where: { id: ticketId, ...ticketVisibility(viewer, access) } });
    if (!ticket) throw new NotFoundError('Ticket');
    await upsertSeenMark(tx, viewer, ticket.id, clock(ctx));
    return ticket;
  });
}
