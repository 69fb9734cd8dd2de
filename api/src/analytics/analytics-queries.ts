import { withTenant, type Db } from '@parley/db';
import { checkRange, type Range } from './analytics-range.ts';

/**
 * Analytics over any date range, read from the rollups (TicketFact/AnalyticsDaily, kept by the
 * worker job analytics.refresh-rollups.v1: ticket-stats.ts), the ratings and the incident
 * ledger — never by scanning tickets and articles.
 */
export { GROUP_BY, checkRange, requireAnalyticsReader, type GroupBy, type Range } from './analytics-range.ts';
export { ticketStats, type Compliance, type DurationStats, type TicketStatsRow } from './ticket-stats.ts';

export interface RatingStats {
  count: number;
  average: number | null;
  /** counts of scores 1..5 */
  distribution: number[];
  perAgent: Array<{ agentId: string; name: string | null; count: number; average: number }>;
}

export async function ratingStats(db: Db, tenantId: string, range: Range): Promise<RatingStats> {
  checkRange(range);
  return withTenant(db, tenantId, async (tx) => {
    const [dist, perAgent] = await Promise.all([
      tx.$queryRaw<{ score: number; n: number }[]>`
        SELECT "score", COUNT(*)::int AS n FROM "Rating" WHERE "tenantId" = ${tenantId}::uuid AND "createdAt" >= ${range.from} AND "createdAt" < ${range.to} GROUP BY 1`,
      tx.$queryRaw<{ agentId: string; name: string | null; n: number; avg: number }[]>`
        SELECT r."agentUserId" AS "agentId", MIN(u."name") AS "name", COUNT(*)::int AS n, AVG(r."score")::float AS avg FROM "Rating" r
        LEFT JOIN "User" u ON u."tenantId" = r."tenantId" AND u."id" = r."agentUserId"
        WHERE r."tenantId" = ${tenantId}::uuid AND r."createdAt" >= ${range.from} AND r."createdAt" < ${range.to} AND r."agentUserId" IS NOT NULL
        GROUP BY 1 ORDER BY 4 DESC, 3 DESC`,
    ]);
    const distribution = [1, 2, 3, 4, 5].map((s) => dist.find((d) => d.score === s)?.n ?? 0);
    const count = distribution.reduce((a, b) => a + b, 0);
    const average = count ? distribution.reduce((sum, n, i) => sum + n * (i + 1), 0) / count : null;
    return { count, average, distribution, perAgent: perAgent.map((p) => ({ agentId: p.agentId, name: p.name, count: p.n, average: p.avg })) };
  });
}

export interface IncidentStats {
  sold: number;
  granted: number;
  consumed: number;
  refunded: number;
  expired: number;
  perRequestCharges: number;
  revenue: Array<{ currency: string; amountCents: number }>;
}

export async function incidentStats(db: Db, tenantId: string, range: Range): Promise<IncidentStats> {
  checkRange(range);
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx.$queryRaw<{ kind: string; currency: string | null; n: number; delta: number; cents: bigint }[]>`
      SELECT "kind"::text AS kind, "currency", COUNT(*)::int AS n, COALESCE(SUM("delta"), 0)::int AS delta, COALESCE(SUM("amountCents"), 0)::bigint AS cents
      FROM "IncidentLedgerEntry" WHERE "tenantId" = ${tenantId}::uuid AND "createdAt" >= ${range.from} AND "createdAt" < ${range.to}
      GROUP BY 1, 2`;
    const sum = (kind: string, f: (r: (typeof rows)[number]) => number) => rows.filter((r) => r.kind === kind).reduce((s, r) => s + f(r), 0);
    const revenue = new Map<string, number>();
    for (const r of rows) {
      if ((r.kind === 'GRANT_PURCHASE' || r.kind === 'PER_REQUEST_CHARGE') && r.currency) revenue.set(r.currency, (revenue.get(r.currency) ?? 0) + Number(r.cents));
    }
    return {
      sold: sum('GRANT_PURCHASE', (r) => r.delta),
      granted: sum('GRANT_MANUAL', (r) => r.delta) + sum('GRANT_REGISTRATION', (r) => r.delta),
      consumed: -sum('CONSUME', (r) => r.delta),
      refunded: sum('REFUND', (r) => r.delta),
      expired: -sum('EXPIRE', (r) => r.delta),
      perRequestCharges: sum('PER_REQUEST_CHARGE', (r) => r.n),
      revenue: [...revenue].map(([currency, amountCents]) => ({ currency, amountCents })),
    };
  });
}
