import { withTenant, type Db, type TenantTx } from '@parley/db';
import { z } from 'zod';
import type { AgentViewer } from '../auth/viewer.ts';
import { ConflictError, ForbiddenError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import type { Services } from '../services.ts';

const policyInput = z.object({
  archiveAfterDays: z.number().int().min(1).max(36_500).nullable(),
  retentionMonths: z.number().int().min(1).max(1200).nullable(),
  retentionAction: z.enum(['DELETE', 'ANONYMIZE']).default('ANONYMIZE'),
});

function requireAdmin(viewer: AgentViewer) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators can set the retention policy');
}

export async function setRetentionPolicy(db: Db, viewer: AgentViewer, raw: z.input<typeof policyInput>) {
  requireAdmin(viewer);
  const input = parseInput(policyInput, raw);
  return withTenant(db, viewer.tenantId, (tx) => tx.retentionPolicy.upsert({
    where: { tenantId: viewer.tenantId }, create: { tenantId: viewer.tenantId, ...input }, update: input,
  }));
}

const closedStates = (tx: TenantTx) => tx.ticketState.findMany({ where: { type: { in: ['CLOSED', 'MERGED', 'REMOVED'] } }, select: { id: true } });

/**
 * Archives the tenant's tickets closed for at least `days` (batches of `batch` rows, each its
 * own short transaction so the working set stays writable). Archived tickets leave the working
 * views (partial indexes on NOT archived) but stay searchable and load like any ticket; a
 * follow-up (add-article, mail) or a change to a working state (update-ticket) restores them
 * (`restoreFromArchive`, with an "unarchived" history row). No history row per ticket: archiving is a storage tier,
 * not a change of the ticket.
 */
export async function archiveClosedTickets(db: Db, tenantId: string, days: number, now = new Date(), batch = 5000) {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  let total = 0;
  for (;;) {
    const n = await withTenant(db, tenantId, async (tx) => {
      const states = (await closedStates(tx)).map((s) => s.id);
      return tx.$executeRaw`
        UPDATE "Ticket" SET "archived" = true
        WHERE "id" IN (SELECT "id" FROM "Ticket" WHERE NOT "archived" AND "closedAt" < ${cutoff} AND "stateId" = ANY(${states}::uuid[]) LIMIT ${batch})`;
    });
    total += n;
    if (n < batch) return total;
  }
}

async function policyOf(tx: TenantTx) {
  return tx.retentionPolicy.findFirst();
}

const monthsAgo = (now: Date, months: number) => {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};

/** What retention would do now (dry run): the action, the cutoff, how many tickets and a sample of their numbers. */
export async function retentionReport(db: Db, viewer: AgentViewer, now = new Date()) {
  requireAdmin(viewer);
  return withTenant(db, viewer.tenantId, async (tx) => {
    const policy = await policyOf(tx);
    if (!policy?.retentionMonths) return { action: null, cutoff: null, count: 0, sample: [] as string[] };
    const cutoff = monthsAgo(now, policy.retentionMonths);
    const where = { closedAt: { lt: cutoff }, stateId: { in: (await closedStates(tx)).map((s) => s.id) }, ...(policy.retentionAction === 'ANONYMIZE' ? { NOT: { title: ANONYMIZED } } : {}) };
    const [count, sample] = await Promise.all([
      tx.ticket.count({ where }),
      tx.ticket.findMany({ where, select: { number: true }, orderBy: { closedAt: 'asc' }, take: 20 }),
    ]);
    return { action: policy.retentionAction, cutoff, count, sample: sample.map((s) => s.number) };
  });
}

export const ANONYMIZED = '[anonymized]';

/**
 * Applies retention after a dry run: `expectedCount` must equal what the report shows now
 * (else ConflictError: look again). DELETE removes the tickets (articles, history … cascade) and,
 * in the same transaction, the mail rows that point at them (InboundMail, OutgoingMail reference
 * ticket and article without cascade). ANONYMIZE keeps them for statistics but blanks titles,
 * bodies, addresses, the submitter's traces, the customer link, the outbox rows (subject,
 * recipients, bytes; unsent ones are given up), the inbound rows' sender traces and the
 * notifications' messages, and deletes attachments. Either way the raw bytes of the tickets'
 * inbound mails are removed from the blob store after commit (if the store can delete); a
 * failure there is logged, never undoes the retention.
 */
export async function applyRetention(services: RetentionServices, viewer: AgentViewer, expectedCount: number, now = new Date()) {
  const { db } = services;
  const report = await retentionReport(db, viewer, now);
  if (!report.action || !report.cutoff) return { action: null, affected: 0 };
  if (report.count !== expectedCount) throw new ConflictError(`The dry run now finds ${report.count} tickets, not ${expectedCount}; review the report again`);
  const cutoff = report.cutoff;
  const { affected, blobKeys } = await withTenant(db, viewer.tenantId, async (tx) => {
    const states = (await closedStates(tx)).map((s) => s.id);
    const ids = (await tx.ticket.findMany({ where: { closedAt: { lt: cutoff }, stateId: { in: states }, ...(report.action === 'ANONYMIZE' ? { NOT: { title: ANONYMIZED } } : {}) }, select: { id: true } })).map((t) => t.id);
    if (ids.length === 0) return { affected: 0, blobKeys: [] as string[] };
    const ofTickets = { OR: [{ ticketId: { in: ids } }, { article: { ticketId: { in: ids } } }] };
    const inbound = await tx.inboundMail.findMany({ where: ofTickets, select: { storageKey: true } });
    // Uploaded files (POST /attachments) have keys of their own (upl/…): their bytes go too. Mail
    // attachments are content-addressed and may be shared by other tickets' mails, so they stay.
    const uploaded = await tx.attachment.findMany({ where: { article: { ticketId: { in: ids } }, storageKey: { startsWith: 'upl/' } }, select: { storageKey: true } });
    const blobKeys = [...inbound.map((m) => m.storageKey), ...uploaded.map((a) => a.storageKey)];
    if (report.action === 'DELETE') {
      await tx.inboundMail.deleteMany({ where: ofTickets });
      await tx.outgoingMail.deleteMany({ where: ofTickets });
      await tx.ticket.updateMany({ where: { mergedIntoId: { in: ids } }, data: { mergedIntoId: null } });
      return { affected: (await tx.ticket.deleteMany({ where: { id: { in: ids } } })).count, blobKeys };
    }
    await tx.attachment.deleteMany({ where: { article: { ticketId: { in: ids } } } });
    await tx.article.updateMany({ where: { ticketId: { in: ids } }, data: { subject: ANONYMIZED, bodyText: ANONYMIZED, bodyHtml: null, fromAddress: null, toAddresses: [], ccAddresses: [] } });
    await tx.ticketHistory.updateMany({ where: { ticketId: { in: ids }, action: { notIn: ['state_changed'] } }, data: { oldValue: null, newValue: null } });
    await tx.outgoingMail.updateMany({ where: { ...ofTickets, status: { in: ['PENDING', 'SENDING'] } }, data: { status: 'FAILED', lastError: 'given up: anonymized by retention' } });
    await tx.outgoingMail.updateMany({ where: ofTickets, data: { subject: ANONYMIZED, recipients: [], raw: new Uint8Array(0), smtpResponse: null, bounceReason: null } });
    await tx.inboundMail.updateMany({ where: ofTickets, data: { envelopeFrom: null, remoteAddress: null, messageId: null, failureReason: null } });
    await tx.agentNotification.updateMany({ where: { ticketId: { in: ids } }, data: { message: ANONYMIZED } });
    const count = (await tx.ticket.updateMany({
      where: { id: { in: ids } },
      data: { title: ANONYMIZED, customerUserId: null, submitterIp: null, submitterUserAgent: null, submitterSourceUrl: null },
    })).count;
    return { affected: count, blobKeys };
  });
  await deleteBlobs(services, blobKeys);
  return { action: report.action, affected };
}

export type RetentionServices = Pick<Services, 'db' | 'blobs' | 'log'>;

async function deleteBlobs(services: RetentionServices, keys: string[]) {
  const del = services.blobs.delete?.bind(services.blobs);
  if (!del) return;
  for (const key of keys) {
    try {
      await del(key);
    } catch (err) {
      services.log.warn({ err: (err as Error).message, key }, 'retention: could not delete a blob');
    }
  }
}
