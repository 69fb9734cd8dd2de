import { Prisma, type TenantTx } from '@parley/db';
import { bucketOf, histogramAggregate, histogramSum } from './histogram.ts';

export const NIL = '00000000-0000-0000-0000-000000000000';

/** Dimensions of AnalyticsDaily (key = the nil uuid for none / ALL). */
export const DIMS = ['ALL', 'QUEUE', 'AGENT', 'TYPE', 'COMPANY'] as const;

/**
 * Period rows summed from finer ones: `QUEUE@M` (day = the 1st of the month) from the daily
 * rows, `QUEUE@Q` (day = the 1st of the quarter) from the monthly ones, so a one-year range
 * reads a few rows per key instead of ~365 (the company dimension has thousands of keys).
 */
export const PERIODS = [
  { suffix: '@M', unit: 'month', from: '' },
  { suffix: '@Q', unit: 'quarter', from: '@M' },
] as const;

const SUMMED = Prisma.raw(`"created", "solved", "firstResponses", "frMinutes", "resMinutes", "timeMinutes", "replies",
  "frHist", "resHist", "frBizMinutes", "resBizMinutes", "frBizHist", "resBizHist", "frSlaCount", "frSlaMet", "solSlaCount", "solSlaMet"`);

/**
 * Recomputes the daily rows (every dimension of DIMS) of the given UTC days from TicketFact:
 * created-side figures (first response, time, replies, first-response compliance) on the
 * creation day, solved-side (resolution, solution compliance) on the closing day; then the
 * month and quarter rows those days fall in.
 */
export async function rebuildDays(tx: TenantTx, tenantId: string, days: string[]) {
  if (days.length === 0) return 0;
  const sorted = [...days].sort();
  const first = new Date(`${sorted[0]}T00:00:00Z`);
  const end = new Date(new Date(`${sorted[sorted.length - 1]}T00:00:00Z`).getTime() + 86_400_000);
  const list = Prisma.sql`${sorted}::date[]`;
  const dims = [...DIMS];
  await tx.$executeRaw`DELETE FROM "AnalyticsDaily" WHERE "tenantId" = ${tenantId}::uuid AND "dim" = ANY(${dims}::text[]) AND "day" = ANY(${list})`;
  const isC = Prisma.sql`e."kind" = 'C'`;
  const isS = Prisma.sql`e."kind" = 'S'`;
  const daily = await tx.$executeRaw`
    INSERT INTO "AnalyticsDaily" ("tenantId", "dim", "key", "day", ${SUMMED})
    SELECT ${tenantId}::uuid, d."dim", d."key", e."day",
      (COUNT(*) FILTER (WHERE ${isC}))::int, (COUNT(*) FILTER (WHERE ${isS}))::int,
      (COUNT(e."minutes") FILTER (WHERE ${isC}))::int,
      COALESCE(SUM(e."minutes") FILTER (WHERE ${isC}), 0), COALESCE(SUM(e."minutes") FILTER (WHERE ${isS}), 0),
      COALESCE(SUM(e."time"), 0), COALESCE(SUM(e."replies"), 0)::int,
      ${histogramAggregate(Prisma.sql`${isC} AND e."minutes" IS NOT NULL`, Prisma.sql`e."b"`)},
      ${histogramAggregate(Prisma.sql`${isS} AND e."minutes" IS NOT NULL`, Prisma.sql`e."b"`)},
      COALESCE(SUM(e."biz") FILTER (WHERE ${isC}), 0), COALESCE(SUM(e."biz") FILTER (WHERE ${isS}), 0),
      ${histogramAggregate(Prisma.sql`${isC} AND e."biz" IS NOT NULL`, Prisma.sql`e."bb"`)},
      ${histogramAggregate(Prisma.sql`${isS} AND e."biz" IS NOT NULL`, Prisma.sql`e."bb"`)},
      (COUNT(e."inTime") FILTER (WHERE ${isC}))::int, (COUNT(*) FILTER (WHERE ${isC} AND e."inTime"))::int,
      (COUNT(e."inTime") FILTER (WHERE ${isS}))::int, (COUNT(*) FILTER (WHERE ${isS} AND e."inTime"))::int
    FROM (
      SELECT ev.*, ${bucketOf(Prisma.sql`ev."minutes"`)} AS "b", ${bucketOf(Prisma.sql`ev."biz"`)} AS "bb" FROM (
        SELECT 'C' AS "kind", (f."createdAt" AT TIME ZONE 'UTC')::date AS "day", f."firstResponseMinutes" AS "minutes",
               f."frBusinessMinutes" AS "biz", f."frInTime" AS "inTime",
               f."timeMinutes" AS "time", f."agentReplies" AS "replies", f."queueId", f."ownerId", f."typeId", f."companyId"
        FROM "TicketFact" f
        WHERE f."tenantId" = ${tenantId}::uuid AND f."createdAt" >= ${first} AND f."createdAt" < ${end}
          AND (f."createdAt" AT TIME ZONE 'UTC')::date = ANY(${list})
        UNION ALL
        SELECT 'S', (f."closedAt" AT TIME ZONE 'UTC')::date, f."resolutionMinutes", f."resBusinessMinutes", f."solutionInTime",
               0, 0, f."queueId", f."ownerId", f."typeId", f."companyId"
        FROM "TicketFact" f
        WHERE f."tenantId" = ${tenantId}::uuid AND f."closedAt" >= ${first} AND f."closedAt" < ${end}
          AND (f."closedAt" AT TIME ZONE 'UTC')::date = ANY(${list})
      ) ev
    ) e
    CROSS JOIN LATERAL (VALUES
      ('ALL', ${NIL}::uuid), ('QUEUE', e."queueId"), ('AGENT', COALESCE(e."ownerId", ${NIL}::uuid)),
      ('TYPE', COALESCE(e."typeId", ${NIL}::uuid)), ('COMPANY', COALESCE(e."companyId", ${NIL}::uuid))
    ) d("dim", "key")
    GROUP BY d."dim", d."key", e."day"
    ORDER BY d."dim", e."day", d."key"`; // physically in key order: a range query reads few pages
  let periods = 0;
  for (const p of PERIODS) periods += await rebuildPeriod(tx, tenantId, sorted, p.suffix, p.unit, p.from);
  return daily + periods;
}

/**
 * Deletes and re-sums the `suffix` rows of every period (month/quarter) the days fall in, from
 * the `source` rows. Every condition names the dims and a day range, so the primary key
 * (tenantId, dim, day, key) finds the rows without reading the tenant's whole rollup.
 */
async function rebuildPeriod(tx: TenantTx, tenantId: string, days: string[], suffix: string, unit: string, source: string) {
  const starts = [...new Set(days.map((d) => periodStart(d, unit)))].sort();
  const list = Prisma.sql`${starts}::date[]`;
  const u = Prisma.raw(`'${unit}'`);
  const targetDims = DIMS.map((d) => d + suffix);
  const sourceDims = DIMS.map((d) => d + source);
  const first = new Date(`${starts[0]}T00:00:00Z`);
  const last = new Date(`${starts[starts.length - 1]}T00:00:00Z`);
  const end = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + (unit === 'quarter' ? 3 : 1), 1));
  const baseDim = source ? Prisma.raw(`left("dim", -${source.length})`) : Prisma.sql`"dim"`;
  await tx.$executeRaw`DELETE FROM "AnalyticsDaily" WHERE "tenantId" = ${tenantId}::uuid AND "dim" = ANY(${targetDims}::text[]) AND "day" = ANY(${list})`;
  return tx.$executeRaw`
    INSERT INTO "AnalyticsDaily" ("tenantId", "dim", "key", "day", ${SUMMED})
    SELECT ${tenantId}::uuid, ${baseDim} || ${suffix}, "key", date_trunc(${u}, "day")::date,
      SUM("created")::int, SUM("solved")::int, SUM("firstResponses")::int, SUM("frMinutes"), SUM("resMinutes"), SUM("timeMinutes"), SUM("replies")::int,
      ${histogramSum(Prisma.sql`"frHist"`)}, ${histogramSum(Prisma.sql`"resHist"`)},
      SUM("frBizMinutes"), SUM("resBizMinutes"), ${histogramSum(Prisma.sql`"frBizHist"`)}, ${histogramSum(Prisma.sql`"resBizHist"`)},
      SUM("frSlaCount")::int, SUM("frSlaMet")::int, SUM("solSlaCount")::int, SUM("solSlaMet")::int
    FROM "AnalyticsDaily"
    WHERE "tenantId" = ${tenantId}::uuid AND "dim" = ANY(${sourceDims}::text[]) AND "day" >= ${first}::date AND "day" < ${end}::date
      AND date_trunc(${u}, "day")::date = ANY(${list})
    GROUP BY 2, "key", date_trunc(${u}, "day")
    ORDER BY 2, 4, "key"`;
}

function periodStart(day: string, unit: string) {
  const month = Number(day.slice(5, 7));
  const m = unit === 'quarter' ? month - ((month - 1) % 3) : month;
  return `${day.slice(0, 4)}-${String(m).padStart(2, '0')}-01`;
}
