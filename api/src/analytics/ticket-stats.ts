import { Prisma, withTenant, type Db, type TenantTx } from '@parley/db';
import { histogramSum, quantile } from './histogram.ts';
import { rangeSegments } from './range-segments.ts';
import { NIL } from './rollup-days.ts';
import { checkRange, type GroupBy, type Range } from './analytics-range.ts';

export interface DurationStats { count: number; median: number | null; p90: number | null; average: number | null }
export interface Compliance { count: number; met: number; percent: number | null }

export interface TicketStatsRow {
  key: string | null;
  /** Name of the queue, agent, type or company (null for none or groupBy NONE) */
  label: string | null;
  created: number;
  solved: number;
  backlog: number;
  /** Wall-clock minutes */
  firstResponse: DurationStats;
  resolution: DurationStats;
  /** Business minutes (the ticket's SLA calendar, else the tenant default calendar) */
  firstResponseBusiness: DurationStats;
  resolutionBusiness: DurationStats;
  /** Tickets meeting their SLA targets: first response (created in range), solution (solved in range) */
  slaFirstResponse: Compliance;
  slaSolution: Compliance;
  timeMinutes: number;
  agentReplies: number;
}

const DIM: Record<GroupBy, string> = { NONE: 'ALL', QUEUE: 'QUEUE', AGENT: 'AGENT', TYPE: 'TYPE', COMPANY: 'COMPANY' };
const DAY = 86_400_000;
const ALL_COLUMNS = ['key', 'created', 'solved', 'firstResponses', 'frMinutes', 'resMinutes', 'frBizMinutes', 'resBizMinutes', 'timeMinutes', 'replies',
  'frSlaCount', 'frSlaMet', 'solSlaCount', 'solSlaMet', 'frHist', 'resHist', 'frBizHist', 'resBizHist'].map((c) => `"${c}"`).join(', ');
const EPOCH = new Date(Date.UTC(1970, 0, 1));

/**
 * SQL: the rollup rows of dimension `dim` that cover [from, to), and each row's sign (+1, or -1
 * for days subtracted from a month row, range-segments.ts).
 */
export function covering(dim: string, from: Date, to: Date) {
  const segments = rangeSegments(from, to);
  const cond = (s: (typeof segments)[number]) => Prisma.sql`("dim" = ${dim + s.suffix} AND "day" >= ${s.start}::date AND "day" < ${s.end}::date)`;
  const where = segments.length ? Prisma.sql`(${Prisma.join(segments.map(cond), ' OR ')})` : Prisma.sql`false`;
  const negative = segments.filter((s) => s.sign < 0);
  const sign = negative.length ? Prisma.sql`(CASE WHEN ${Prisma.join(negative.map(cond), ' OR ')} THEN -1 ELSE 1 END)` : Prisma.sql`1`;
  return { where, sign, signed: negative.length > 0 };
}

/**
 * SQL: the covering rows (only `columns`) with their sign as column "s", computed once per row
 * (OFFSET 0 keeps the subquery from being flattened into the aggregates).
 */
function coveringRows(tenantId: string, c: ReturnType<typeof covering>, columns: string) {
  if (!c.signed) return Prisma.sql`(SELECT ${Prisma.raw(columns)}, 1 AS "s" FROM "AnalyticsDaily" WHERE "tenantId" = ${tenantId}::uuid AND ${c.where}) r`;
  return Prisma.sql`(SELECT ${Prisma.raw(columns)}, ${c.sign} AS "s" FROM "AnalyticsDaily" WHERE "tenantId" = ${tenantId}::uuid AND ${c.where} OFFSET 0) r`;
}

export const duration = (count: number, minutes: bigint | number, hist: number[]): DurationStats => ({
  count, median: quantile(hist, 0.5), p90: quantile(hist, 0.9), average: count ? Number(minutes) / count : null,
});
export const compliance = (count: number, met: number): Compliance => ({ count, met, percent: count ? Math.round((met / count) * 1000) / 10 : null });

interface SumRow {
  key: string; created: number; solved: number; frs: number; frMin: bigint; resMin: bigint; frBizMin: bigint; resBizMin: bigint;
  time: bigint; replies: number; frHist: number[]; resHist: number[]; frBizHist: number[]; resBizHist: number[];
  frBizCount: number; resBizCount: number; frSla: number; frMet: number; solSla: number; solMet: number;
}

/**
 * Ticket figures over a range, grouped by queue, agent (owner), type, customer company or not at
 * all — read from the rollup only (AnalyticsDaily: whole UTC days, `from` rounded down and `to`
 * up; quarters, months and edge days; median and p90 from histograms, approximate to a bucket).
 */
export async function ticketStats(db: Db, tenantId: string, range: Range, groupBy: GroupBy): Promise<TicketStatsRow[]> {
  checkRange(range);
  const dim = DIM[groupBy];
  const fromDay = new Date(Math.floor(range.from.getTime() / DAY) * DAY);
  const toDay = new Date(Math.ceil(range.to.getTime() / DAY) * DAY);
  const range1 = covering(dim, fromDay, toDay);
  const upTo = covering(dim, EPOCH, toDay);
  const sg = range1.signed ? Prisma.sql`"s"` : undefined;
  const h = (c: string) => histogramSum(Prisma.raw(`"${c}"`), sg);
  const sum = (c: string, cast: 'int' | 'bigint') => (sg ? Prisma.sql`SUM(${sg} * ${Prisma.raw(`"${c}"`)})::${Prisma.raw(cast)}` : Prisma.sql`SUM(${Prisma.raw(`"${c}"`)})::${Prisma.raw(cast)}`);
  // two statements on two connections (each its own tenant-scoped transaction): they run in parallel
  const [sums, backlog] = await Promise.all([
    withTenant(db, tenantId, (tx) => tx.$queryRaw<SumRow[]>`
      SELECT "key", ${sum('created', 'int')} AS "created", ${sum('solved', 'int')} AS "solved", ${sum('firstResponses', 'int')} AS "frs",
        ${sum('frMinutes', 'bigint')} AS "frMin", ${sum('resMinutes', 'bigint')} AS "resMin", ${sum('frBizMinutes', 'bigint')} AS "frBizMin",
        ${sum('resBizMinutes', 'bigint')} AS "resBizMin", ${sum('timeMinutes', 'bigint')} AS "time", ${sum('replies', 'int')} AS "replies",
        ${sum('frSlaCount', 'int')} AS "frSla", ${sum('frSlaMet', 'int')} AS "frMet", ${sum('solSlaCount', 'int')} AS "solSla", ${sum('solSlaMet', 'int')} AS "solMet",
        ${h('frHist')} AS "frHist", ${h('resHist')} AS "resHist", ${h('frBizHist')} AS "frBizHist", ${h('resBizHist')} AS "resBizHist"
      FROM ${coveringRows(tenantId, range1, ALL_COLUMNS)}
      GROUP BY "key"`),
    withTenant(db, tenantId, (tx) => tx.$queryRaw<Array<{ key: string; backlog: number }>>`
      SELECT "key", SUM("s" * ("created" - "solved"))::int AS "backlog"
      FROM ${coveringRows(tenantId, upTo, '"key", "created", "solved"')}
      GROUP BY "key"`),
  ]);
  const rows = new Map<string, TicketStatsRow>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      const none = duration(0, 0, []);
      r = { key: key === NIL ? null : key, label: null, created: 0, solved: 0, backlog: 0, timeMinutes: 0, agentReplies: 0,
        firstResponse: none, resolution: none, firstResponseBusiness: none, resolutionBusiness: none,
        slaFirstResponse: compliance(0, 0), slaSolution: compliance(0, 0) };
      rows.set(key, r);
    }
    return r;
  };
  const total = (hist: number[]) => hist.reduce((a, b) => a + b, 0);
  for (const x of sums) {
    if (x.created === 0 && x.solved === 0) continue;
    const r = row(x.key);
    Object.assign(r, {
      created: x.created, solved: x.solved, timeMinutes: Number(x.time), agentReplies: x.replies,
      firstResponse: duration(x.frs, x.frMin, x.frHist),
      resolution: duration(x.solved, x.resMin, x.resHist),
      firstResponseBusiness: duration(total(x.frBizHist), x.frBizMin, x.frBizHist),
      resolutionBusiness: duration(total(x.resBizHist), x.resBizMin, x.resBizHist),
      slaFirstResponse: compliance(x.frSla, x.frMet),
      slaSolution: compliance(x.solSla, x.solMet),
    });
  }
  for (const b of backlog) if (b.backlog > 0 || rows.has(b.key)) row(b.key).backlog = b.backlog;
  const result = [...rows.values()];
  await withTenant(db, tenantId, (tx) => labelRows(tx, groupBy, result));
  return result.sort((a, b) => b.created - a.created || String(a.label ?? a.key).localeCompare(String(b.label ?? b.key)));
}

/** Names of the keys (RLS and the tenant filter keep them to the tenant's own rows). */
async function labelRows(tx: TenantTx, groupBy: GroupBy, rows: TicketStatsRow[]) {
  const ids = rows.map((r) => r.key).filter((k): k is string => k !== null);
  if (groupBy === 'NONE' || ids.length === 0) return;
  const where = { id: { in: ids } };
  const named: Array<{ id: string; name: string }> =
    groupBy === 'QUEUE' ? await tx.queue.findMany({ where, select: { id: true, name: true } })
    : groupBy === 'AGENT' ? await tx.user.findMany({ where, select: { id: true, name: true } })
    : groupBy === 'TYPE' ? await tx.ticketType.findMany({ where, select: { id: true, name: true } })
    : await tx.customerCompany.findMany({ where, select: { id: true, name: true } });
  const names = new Map(named.map((n) => [n.id, n.name]));
  for (const r of rows) if (r.key) r.label = names.get(r.key) ?? null;
}
