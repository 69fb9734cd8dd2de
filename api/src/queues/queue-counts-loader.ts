import { withTenant, type Db } from '@parley/db';

export interface QueueStateCount { stateType: string; count: number }

interface Batch { ids: Set<string>; result: Promise<Map<string, QueueStateCount[]>> }

/**
 * Batches the per-queue working-ticket counts of one request into a single grouped query: the
 * sidebar asks for every queue at once, and one transaction per queue (47 at the big tenant)
 * exhausted the connection pool. Queue ids asked for in the same tick share one query.
 */
export function queueCountsLoader(db: Db, tenantId: string) {
  let batch: Batch | null = null;
  return (queueId: string): Promise<QueueStateCount[]> => {
    if (!batch) {
      const ids = new Set<string>();
      const current: Batch = {
        ids,
        // runs after the resolvers of this tick have added their queue ids
        result: Promise.resolve().then(() => {
          if (batch === current) batch = null;
          return withTenant(db, tenantId, async (tx) => {
            // Counted off the Ticket_working_counts index, states joined after grouping; a parallel
            // plan only adds gather overhead for a few hundred groups.
            await tx.$executeRaw`SET LOCAL max_parallel_workers_per_gather = 0`;
            const rows = await tx.$queryRaw<{ queueId: string; type: string; count: number }[]>`
              SELECT c."queueId", s."type"::text AS type, sum(c.n)::int AS count
              FROM (SELECT "queueId", "stateId", count(*) AS n FROM "Ticket"
                    WHERE "queueId" = ANY(${[...ids]}::uuid[]) AND NOT "archived" GROUP BY 1, 2) c
              JOIN "TicketState" s ON s."id" = c."stateId"
              GROUP BY 1, 2`;
            const byQueue = new Map<string, QueueStateCount[]>();
            for (const r of rows) byQueue.set(r.queueId, [...(byQueue.get(r.queueId) ?? []), { stateType: r.type, count: r.count }]);
            return byQueue;
          });
        }),
      };
      batch = current;
    }
    batch.ids.add(queueId);
    return batch.result.then((m) => m.get(queueId) ?? []);
  };
}
