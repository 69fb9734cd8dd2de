import { Prisma, withTenant, type Db } from '@parley/db';
import { ForbiddenError, ValidationError } from '../errors/app-error.ts';
import { histogramSum, quantile } from './histogram.ts';
import type { TenantViewer } from '../auth/viewer.ts';

/**
 * Analytics over any date range, read from the rollup (TicketFact, kept by the worker job
 * analytics.refresh-rollups.v1), the ratings and the incident ledger — never by scanning tickets
 * and articles. Durations are wall-clock minutes (business-hours variants come with calendars).
 */
export const GROUP_BY = ['NONE', 'QUEUE', 'AGENT', 'TYPE', 'COMPANY'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

const groupColumn: Record<GroupBy, Prisma.Sql> = {
  NONE: Prisma.sql`NULL::uuid`,
  QUEUE: Prisma.sql`f."queueId"`,
  AGENT: Prisma.sql`f."ownerId"`,
  TYPE: Prisma.sql`f."typeId"`,
  COMPANY: Prisma.sql`f."companyId"`,
};

export interface Range { from: Date; to: Date }

export interface DurationStats { count: number; median: number | null; p90: number | null; average: number | null }

export interface TicketStatsRow {
  key: string | null;
  created: number;
  solved: number;
  backlog: number;
  firstResponse: DurationStats;
  resolution: DurationStats;
  timeMinutes: number;
  agentReplies: number;
}

/** Partners (API keys) and administrators read analytics; other agents and customers do not. */
export function requireAnalyticsReader(viewer: TenantViewer) {
  if (viewer.kind !== 'agent' || !(viewer.isAdmin || viewer.apiKey)) throw new ForbiddenError('Analytics are for administrators and partner API keys');
}

export function checkRange(r: Range) {
  if (!(r.from < r.to)) throw new ValidationError('from must be before to', 'from');
  if (r.to.getTime() - r.from.getTime() > 3 * 366 * 86_400_000) throw new ValidationError('The range may span at most three years', 'to');
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Ticket figures over a range. By queue, agent, type or in total they come from the daily rollup
 * (whole UTC days: `from` is rounded down, `to` up; percentiles from histograms, approximate to
 * a bucket); by customer company, a dimension with many keys, from TicketFact (exact, slower).
 */
export async function ticketStats(db: Db, tenantId: string, range: Range, groupBy: GroupBy): Promise<TicketStatsRow[]> {
  checkRange(range);
  return groupBy === 'COMPANY' ? ticketStatsFromFacts(db, tenantId, range, groupBy) : ticketStatsFromRollup(db, tenantId, range, groupBy);
}

const NIL = '00000000-0000-0000-0000-000000000000';
const DAY = 86_400_000;

async function ticketStatsFromRollup(db: Db, tenantId: string, range: Range, groupBy: Exclude<GroupBy, 'COMPANY'>): Promise<TicketStatsRow[]> {
  const dim = groupBy === 'NONE' ? 'ALL' : groupBy;
  const monthly = `${dim}@M`;
  const fromDay = new Date(Math.floor(range.from.getTime() / DAY) * DAY);
  const toDay = new Date(Math.ceil(range.to.getTime() / DAY) * DAY);
  // Whole months in the range come from the monthly rows, the edges from the daily ones.
  const monthStart = (d: Date, up: boolean) => {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    return up && m < d ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)) : m;
  };
  let m1 = monthStart(fromDay, true);
  let m2 = monthStart(toDay, false);
  if (m1 >= m2) m1 = m2 = fromDay;
  const backlogMonth = monthStart(toDay, false);
  return withTenant(db, tenantId, async (tx) => {
    const [sums, backlog] = await Promise.all([
      tx.$queryRaw<Array<{ key: string; created: number; solved: number; frs: number; frMin: bigint; resMin: bigint; time: bigint; replies: number; frHist: number[]; resHist: number[] }>>`
        SELECT "key", SUM("created")::int AS "created", SUM("solved")::int AS "solved", SUM("firstResponses")::int AS "frs",
          SUM("frMinutes")::bigint AS "frMin", SUM("resMinutes")::bigint AS "resMin", SUM("timeMinutes")::bigint AS "time", SUM("replies")::int AS "replies",
          ${histogramSum(Prisma.sql`"frHist"`)} AS "frHist", ${histogramSum(Prisma.sql`"resHist"`)} AS "resHist"
        FROM "AnalyticsDaily" WHERE "tenantId" = ${tenantId}::uuid AND (
          ("dim" = ${dim} AND (("day" >= ${fromDay}::date AND "day" < ${m1}::date) OR ("day" >= ${m2}::date AND "day" < ${toDay}::date)))
          OR ("dim" = ${monthly} AND "day" >= ${m1}::date AND "day" < ${m2}::date))
        GROUP BY "key"`,
      tx.$queryRaw<Array<{ key: string; backlog: number }>>`
        SELECT "key", (SUM("created") - SUM("solved"))::int AS "backlog"
        FROM "AnalyticsDaily" WHERE "tenantId" = ${tenantId}::uuid AND (
          ("dim" = ${monthly} AND "day" < ${backlogMonth}::date) OR ("dim" = ${dim} AND "day" >= ${backlogMonth}::date AND "day" < ${toDay}::date))
        GROUP BY "key"`,
    ]);
    const rows = new Map<string, TicketStatsRow>();
    const row = (key: string) => {
      let r = rows.get(key);
      if (!r) {
        r = { key: key === NIL ? null : key, created: 0, solved: 0, backlog: 0, timeMinutes: 0, agentReplies: 0,
          firstResponse: { count: 0, median: null, p90: null, average: null }, resolution: { count: 0, median: null, p90: null, average: null } };
        rows.set(key, r);
      }
      return r;
    };
    for (const x of sums) {
      if (x.created === 0 && x.solved === 0) continue;
      const r = row(x.key);
      r.created = x.created;
      r.solved = x.solved;
      r.timeMinutes = Number(x.time);
      r.agentReplies = x.replies;
      r.firstResponse = { count: x.frs, median: quantile(x.frHist, 0.5), p90: quantile(x.frHist, 0.9), average: x.frs ? Number(x.frMin) / x.frs : null };
      r.resolution = { count: x.solved, median: quantile(x.resHist, 0.5), p90: quantile(x.resHist, 0.9), average: x.solved ? Number(x.resMin) / x.solved : null };
    }
    for (const b of backlog) if (b.backlog > 0 || rows.has(b.key)) row(b.key).backlog = b.backlog;
    return [...rows.values()].sort((a, b) => b.created - a.created || String(a.key).localeCompare(String(b.key)));
  });
}

async function ticketStatsFromFacts(db: Db, tenantId: string, range: Range, groupBy: GroupBy): Promise<TicketStatsRow[]> {
  const key = groupColumn[groupBy];
  const { from, to } = range;
  return withTenant(db, tenantId, async (tx) => {
    const [created, solved, backlog] = await Promise.all([
      tx.$queryRaw<Array<Record<string, unknown>>>`
        SELECT ${key} AS "key", COUNT(*)::int AS "created",
          COUNT(f."firstResponseMinutes")::int AS "frCount",
          percentile_cont(0.5) WITHIN GROUP (ORDER BY f."firstResponseMinutes") AS "frMedian",
          percentile_cont(0.9) WITHIN GROUP (ORDER BY f."firstResponseMinutes") AS "frP90",
          AVG(f."firstResponseMinutes") AS "frAvg",
          COALESCE(SUM(f."timeMinutes"), 0)::bigint AS "time", COALESCE(SUM(f."agentReplies"), 0)::bigint AS "replies"
        FROM "TicketFact" f WHERE f."tenantId" = ${tenantId}::uuid AND f."createdAt" >= ${from} AND f."createdAt" < ${to}
        GROUP BY 1`,
      tx.$queryRaw<Array<Record<string, unknown>>>`
        SELECT ${key} AS "key", COUNT(*)::int AS "solved",
          percentile_cont(0.5) WITHIN GROUP (ORDER BY f."resolutionMinutes") AS "resMedian",
          percentile_cont(0.9) WITHIN GROUP (ORDER BY f."resolutionMinutes") AS "resP90",
          AVG(f."resolutionMinutes") AS "resAvg"
        FROM "TicketFact" f WHERE f."tenantId" = ${tenantId}::uuid AND f."closedAt" >= ${from} AND f."closedAt" < ${to}
        GROUP BY 1`,
      tx.$queryRaw<Array<Record<string, unknown>>>`
        SELECT ${key} AS "key", COUNT(*)::int AS "backlog"
        FROM "TicketFact" f WHERE f."tenantId" = ${tenantId}::uuid AND f."createdAt" < ${to} AND (f."closedAt" IS NULL OR f."closedAt" >= ${to})
        GROUP BY 1`,
    ]);
    const rows = new Map<string, TicketStatsRow>();
    const row = (k: unknown) => {
      const id = (k as string | null) ?? '';
      let r = rows.get(id);
      if (!r) {
        r = { key: (k as string | null) ?? null, created: 0, solved: 0, backlog: 0, timeMinutes: 0, agentReplies: 0,
          firstResponse: { count: 0, median: null, p90: null, average: null }, resolution: { count: 0, median: null, p90: null, average: null } };
        rows.set(id, r);
      }
      return r;
    };
    for (const c of created) {
      const r = row(c.key);
      r.created = Number(c.created);
      r.firstResponse = { count: Number(c.frCount), median: num(c.frMedian), p90: num(c.frP90), average: num(c.frAvg) };
      r.timeMinutes = Number(c.time);
      r.agentReplies = Number(c.replies);
    }
    for (const s of solved) {
      const r = row(s.key);
      r.solved = Number(s.solved);
      r.resolution = { count: Number(s.solved), median: num(s.resMedian), p90: num(s.resP90), average: num(s.resAvg) };
    }
    for (const b of backlog) row(b.key).backlog = Number(b.backlog);
    return [...rows.values()].sort((a, b) => b.created - a.created || String(a.key).localeCompare(String(b.key)));
  });
}

export interface RatingStats {
  count: number;
  average: number | null;
  /** counts of scores 1..5 */
  distribution: number[];
  perAgent: Array<{ agentId: string; count: number; average: number }>;
}

export async function ratingStats(db: Db, tenantId: string, range: Range): Promise<RatingStats> {
  checkRange(range);
  return withTenant(db, tenantId, async (tx) => {
    const [dist, perAgent] = await Promise.all([
      tx.$queryRaw<{ score: number; n: number }[]>`
        SELECT "score", COUNT(*)::int AS n FROM "Rating" WHERE "tenantId" = ${tenantId}::uuid AND "createdAt" >= ${range.from} AND "createdAt" < ${range.to} GROUP BY 1`,
      tx.$queryRaw<{ agentId: string; n: number; avg: number }[]>`
        SELECT "agentUserId" AS "agentId", COUNT(*)::int AS n, AVG("score")::float AS avg FROM "Rating"
        WHERE "tenantId" = ${tenantId}::uuid AND "createdAt" >= ${range.from} AND "createdAt" < ${range.to} AND "agentUserId" IS NOT NULL
        GROUP BY 1 ORDER BY 3 DESC, 2 DESC`,
    ]);
    const distribution = [1, 2, 3, 4, 5].map((s) => dist.find((d) => d.score === s)?.n ?? 0);
    const count = distribution.reduce((a, b) => a + b, 0);
    const average = count ? distribution.reduce((sum, n, i) => sum + n * (i + 1), 0) / count : null;
    return { count, average, distribution, perAgent: perAgent.map((p) => ({ agentId: p.agentId, count: p.n, average: p.avg })) };
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
