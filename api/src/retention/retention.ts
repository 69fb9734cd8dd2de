import { withTenant, type Db, type TenantTx } from '@parley/db';
import { z } from 'zod';
import type { AgentViewer } from '../auth/viewer.ts';
import { ConflictError, ForbiddenError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';

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
 * (else ConflictError: look again). DELETE removes the tickets (articles, history … cascade);
 * ANONYMIZE keeps them for statistics but blanks titles, bodies, addresses, the submitter's
 * traces and the customer link, and deletes attachments.
 */
export async function applyRetention(db: Db, viewer: AgentViewer, expectedCount: number, now = new Date()) {
  const report = await retentionReport(db, viewer, now);
  if (!report.action || !report.cutoff) return { action: null, affected: 0 };
  if (report.count !== expectedCount) throw new ConflictError(`The dry run now finds ${report.count} tickets, not ${expectedCount}; review the report again`);
  const cutoff = report.cutoff;
  const affected = await withTenant(db, viewer.tenantId, async (tx) => {
    const states = (await closedStates(tx)).map((s) => s.id);
    const ids = (await tx.ticket.findMany({ where: { closedAt: { lt: cutoff }, stateId: { in: states }, ...(report.action === 'ANONYMIZE' ? { NOT: { title: ANONYMIZED } } : {}) }, select: { id: true } })).map((t) => t.id);
    if (ids.length === 0) return 0;
    if (report.action === 'DELETE') {
      await tx.ticket.updateMany({ where: { mergedIntoId: { in: ids } }, data: { mergedIntoId: null } });
      return (await tx.ticket.deleteMany({ where: { id: { in: ids } } })).count;
    }
    await tx.attachment.deleteMany({ where: { article: { ticketId: { in: ids } } } });
    await tx.article.updateMany({ where: { ticketId: { in: ids } }, data: { subject: ANONYMIZED, bodyText: ANONYMIZED, bodyHtml: null, fromAddress: null, toAddresses: [], ccAddresses: [] } });
    await tx.ticketHistory.updateMany({ where: { ticketId: { in: ids }, action: { notIn: ['state_changed'] } }, data: { oldValue: null, newValue: null } });
    return (await tx.ticket.updateMany({
      where: { id: { in: ids } },
      data: { title: ANONYMIZED, customerUserId: null, submitterIp: null, submitterUserAgent: null, submitterSourceUrl: null },
    })).count;
  });
  return { action: report.action, affected };
}
