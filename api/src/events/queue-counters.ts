import { withTenant, type Db } from '@parley/db';

export interface QueueCounter { queueId: string; new: number; open: number; pending: number; escalated: number }

/**
 * Working-set counters per queue (not archived, not closed), for the queues an agent reads.
 * Escalated: a running (new/open) ticket past one of its unmet due dates, breached ones included
 * (escalationAt is null once the last breach has fired; pending tickets have their clock paused).
 */
export async function countOpenTickets(db: Db, tenantId: string, readable: string[] | 'all', now = new Date()): Promise<QueueCounter[]> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx.$queryRaw<Array<{ queueId: string; type: string; n: number; escalated: number }>>`
      SELECT t."queueId", s."type"::text AS type, count(*)::int AS n,
             count(*) FILTER (WHERE s."type" IN ('NEW', 'OPEN') AND LEAST(t."firstResponseDueAt", t."updateDueAt", t."solutionDueAt") <= ${now})::int AS escalated
      FROM "Ticket" t JOIN "TicketState" s ON s."tenantId" = t."tenantId" AND s."id" = t."stateId"
      WHERE NOT t."archived" AND s."type" IN ('NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE')
      GROUP BY 1, 2`;
    const byQueue = new Map<string, QueueCounter>();
    for (const r of rows) {
      if (readable !== 'all' && !readable.includes(r.queueId)) continue;
      const c = byQueue.get(r.queueId) ?? { queueId: r.queueId, new: 0, open: 0, pending: 0, escalated: 0 };
      if (r.type === 'NEW') c.new += r.n; else if (r.type === 'OPEN') c.open += r.n; else c.pending += r.n;
      c.escalated += r.escalated;
      byQueue.set(r.queueId, c);
    }
    return [...byQueue.values()].sort((a, b) => a.queueId.localeCompare(b.queueId));
  });
}
