import { Prisma, withTenant, type Db } from '@parley/db';
import { ValidationError } from '../errors/app-error.ts';
import { isUuid } from '../tickets/load-ticket.ts';
import { histogramSum } from './histogram.ts';
import { NIL } from './rollup-days.ts';
import { checkRange, type GroupBy, type Range } from './analytics-range.ts';
import { compliance, covering, duration, type Compliance, type DurationStats } from './ticket-stats.ts';

export const INTERVALS = ['DAY', 'WEEK', 'MONTH'] as const;
export type Interval = (typeof INTERVALS)[number];

export interface SeriesPoint {
  /** First UTC day of the bucket (the range's first day for a bucket cut by the range) */
  start: Date;
  created: number;
  solved: number;
  /** Open at the end of the bucket */
  backlog: number;
  firstResponseBusiness: DurationStats;
  resolutionBusiness: DurationStats;
  slaFirstResponse: Compliance;
  slaSolution: Compliance;
}

/** Series over one queue, agent (owner) or type; null: the whole tenant. */
export interface SeriesFilter { groupBy: Exclude<GroupBy, 'NONE' | 'COMPANY'>; key: string }

const DAY = 86_400_000;
const EPOCH = new Date(Date.UTC(1970, 0, 1));
const MAX_DAY_POINTS = 366;

/** UTC start of the bucket holding `d` (weeks start on Monday, like PostgreSQL's date_trunc). */
export function bucketStart(d: Date, interval: Interval): Date {
  if (interval === 'DAY') return new Date(Math.floor(d.getTime() / DAY) * DAY);
  if (interval === 'MONTH') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const day = new Date(Math.floor(d.getTime() / DAY) * DAY);
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
}

function nextBucket(d: Date, interval: Interval): Date {
  if (interval === 'DAY') return new Date(d.getTime() + DAY);
  if (interval === 'WEEK') return new Date(d.getTime() + 7 * DAY);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

function checkSeries(range: Range, interval: Interval, filter: SeriesFilter | null) {
  checkRange(range);
  if (interval === 'DAY' && range.to.getTime() - range.from.getTime() > MAX_DAY_POINTS * DAY) {
    throw new ValidationError('Daily series span at most 366 days; use WEEK or MONTH', 'interval');
  }
  if (filter && !isUuid(filter.key)) throw new ValidationError('key must be the id of a queue, agent or type', 'key');
}

interface BucketRow {
  bucket: Date; created: number; solved: number; frBizMin: bigint; resBizMin: bigint;
  frBizHist: number[]; resBizHist: number[]; frSla: number; frMet: number; solSla: number; solMet: number;
}

const total = (hist: number[]) => hist.reduce((a, b) => a + b, 0);

/**
 * Ticket figures per day, week or month of [from, to): created, solved, backlog at the end of
 * each bucket, business-hours first response and resolution, SLA compliance — for the tenant or
 * one queue, agent or type. Reads the daily rollup rows (AnalyticsDaily) of the range, one per
 * day, and the period rows before it for the starting backlog; every bucket of the range is
 * present (zeros where nothing happened).
 */
export async function ticketSeries(db: Db, tenantId: string, range: Range, interval: Interval, filter: SeriesFilter | null = null): Promise<SeriesPoint[]> {
  checkSeries(range, interval, filter);
  const dim = filter ? filter.groupBy : 'ALL';
  const key = filter ? filter.key : NIL;
  const fromDay = new Date(Math.floor(range.from.getTime() / DAY) * DAY);
  const toDay = new Date(Math.ceil(range.to.getTime() / DAY) * DAY);
  const before = covering(dim, EPOCH, fromDay);
  const trunc = Prisma.raw(`'${interval.toLowerCase()}'`);
  const [buckets, [opening]] = await Promise.all([
    withTenant(db, tenantId, (tx) => tx.$queryRaw<BucketRow[]>`
      SELECT date_trunc(${trunc}, "day")::date AS "bucket", SUM("created")::int AS "created", SUM("solved")::int AS "solved",
        SUM("frBizMinutes")::bigint AS "frBizMin", SUM("resBizMinutes")::bigint AS "resBizMin",
        ${histogramSum(Prisma.raw('"frBizHist"'))} AS "frBizHist", ${histogramSum(Prisma.raw('"resBizHist"'))} AS "resBizHist",
        SUM("frSlaCount")::int AS "frSla", SUM("frSlaMet")::int AS "frMet", SUM("solSlaCount")::int AS "solSla", SUM("solSlaMet")::int AS "solMet"
      FROM "AnalyticsDaily"
      WHERE "tenantId" = ${tenantId}::uuid AND "dim" = ${dim} AND "key" = ${key}::uuid AND "day" >= ${fromDay}::date AND "day" < ${toDay}::date
      GROUP BY 1`),
    withTenant(db, tenantId, (tx) => tx.$queryRaw<Array<{ backlog: number | null }>>`
      SELECT SUM("s" * ("created" - "solved"))::int AS "backlog"
      FROM (SELECT "created", "solved", ${before.sign} AS "s" FROM "AnalyticsDaily"
            WHERE "tenantId" = ${tenantId}::uuid AND "key" = ${key}::uuid AND ${before.where} OFFSET 0) r`),
  ]);
  const byStart = new Map(buckets.map((b) => [b.bucket.getTime(), b]));
  const points: SeriesPoint[] = [];
  let backlog = opening?.backlog ?? 0;
  for (let b = bucketStart(fromDay, interval); b < toDay; b = nextBucket(b, interval)) {
    const row = byStart.get(b.getTime());
    backlog += row ? row.created - row.solved : 0;
    points.push({
      start: b < fromDay ? fromDay : b,
      created: row?.created ?? 0,
      solved: row?.solved ?? 0,
      backlog,
      firstResponseBusiness: duration(total(row?.frBizHist ?? []), row?.frBizMin ?? 0n, row?.frBizHist ?? []),
      resolutionBusiness: duration(total(row?.resBizHist ?? []), row?.resBizMin ?? 0n, row?.resBizHist ?? []),
      slaFirstResponse: compliance(row?.frSla ?? 0, row?.frMet ?? 0),
      slaSolution: compliance(row?.solSla ?? 0, row?.solMet ?? 0),
    });
  }
  return points;
}
