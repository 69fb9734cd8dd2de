import { Prisma, withTenant, type TenantTx } from '@parley/db';
import { bucketOf, histogramAggregate, histogramSum } from './histogram.ts';
import type { Services } from '../services.ts';

/**
 * Keeps the analytics rollup (TicketFact: one row per ticket with its wall-clock first-response
 * and resolution minutes, time accounted and reply count) current for a tenant. Incremental:
 * only tickets updated since the watermark (minus an overlap for transactions that committed
 * late) are re-read; each row is recomputed from scratch, so running it twice, concurrently or
 * after a crash gives the same table. Merged and removed tickets leave the rollup.
 *
 * Business-hours variants need the tenant's calendars (api/src/sla); until those exist on
 * queues the durations are wall-clock minutes.
 */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;

export async function refreshTenantRollups(services: Services, tenantId: string, now = new Date()) {
  return withTenant(services.db, tenantId, async (tx) => {
    // one refresher per tenant at a time; a concurrent run waits, then finds little left to do
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('analytics:' || ${tenantId}))`;
    const mark = await tx.analyticsWatermark.findFirst({ where: { tenantId } });
    const since = mark ? new Date(mark.upTo.getTime() - WATERMARK_OVERLAP_MS) : new Date(0);
    const touchedDays = (when: 'before' | 'after') => affectedDays(tx, tenantId, since, when);
    const days = new Set(await touchedDays('before'));
    const upserted = await tx.$executeRaw`
      INSERT INTO "TicketFact" ("tenantId", "ticketId", "createdAt", "queueId", "ownerId", "typeId", "companyId", "closedAt",
        "firstResponseMinutes", "resolutionMinutes", "timeMinutes", "agentReplies", "refreshedAt")
      SELECT t."tenantId", t."id", t."createdAt", t."queueId", t."ownerId", t."typeId", t."customerCompanyId",
        CASE WHEN s."type" = 'CLOSED' THEN t."closedAt" END,
        CASE WHEN t."firstResponseAt" IS NOT NULL THEN GREATEST(0, floor(extract(epoch FROM t."firstResponseAt" - t."createdAt") / 60))::int END,
        CASE WHEN s."type" = 'CLOSED' AND t."closedAt" IS NOT NULL THEN GREATEST(0, floor(extract(epoch FROM t."closedAt" - t."createdAt") / 60))::int END,
        COALESCE(a."time", 0), COALESCE(a."replies", 0), ${now}
      FROM "Ticket" t
      JOIN "TicketState" s ON s."tenantId" = t."tenantId" AND s."id" = t."stateId"
      LEFT JOIN LATERAL (
        SELECT SUM(ar."timeMinutes")::int AS "time",
               (COUNT(*) FILTER (WHERE ar."senderType" = 'AGENT' AND ar."channel" <> 'NOTE' AND ar."visibleToCustomer"))::int AS "replies"
        FROM "Article" ar WHERE ar."tenantId" = t."tenantId" AND ar."ticketId" = t."id" AND ar."deletedAt" IS NULL
      ) a ON true
      WHERE t."tenantId" = ${tenantId}::uuid AND t."updatedAt" > ${since} AND s."type" NOT IN ('MERGED', 'REMOVED')
      ON CONFLICT ("tenantId", "ticketId") DO UPDATE SET
        "queueId" = EXCLUDED."queueId", "ownerId" = EXCLUDED."ownerId", "typeId" = EXCLUDED."typeId", "companyId" = EXCLUDED."companyId",
        "closedAt" = EXCLUDED."closedAt", "firstResponseMinutes" = EXCLUDED."firstResponseMinutes",
        "resolutionMinutes" = EXCLUDED."resolutionMinutes", "timeMinutes" = EXCLUDED."timeMinutes",
        "agentReplies" = EXCLUDED."agentReplies", "refreshedAt" = EXCLUDED."refreshedAt"`;
    const removed = await tx.$executeRaw`
      DELETE FROM "TicketFact" f USING "Ticket" t, "TicketState" s
      WHERE f."tenantId" = ${tenantId}::uuid AND t."tenantId" = f."tenantId" AND t."id" = f."ticketId"
        AND s."tenantId" = t."tenantId" AND s."id" = t."stateId" AND t."updatedAt" > ${since} AND s."type" IN ('MERGED', 'REMOVED')`;
    for (const d of await touchedDays('after')) days.add(d);
    const daysRebuilt = await rebuildDays(tx, tenantId, [...days]);
    await tx.analyticsWatermark.upsert({ where: { tenantId }, create: { tenantId, upTo: now, refreshedAt: now }, update: { upTo: now, refreshedAt: now } });
    return { upserted, removed, daysRebuilt, since };
  }, { timeout: 10 * 60_000 });
}

/** Every tenant with tickets changed since its watermark (the system role: across tenants). */
export async function tenantsToRefresh(services: Services) {
  const rows = await services.systemDb.$queryRaw<{ id: string }[]>`
    SELECT tn."id" FROM "Tenant" tn LEFT JOIN "AnalyticsWatermark" w ON w."tenantId" = tn."id"
    WHERE NOT tn."suspended" AND EXISTS (
      SELECT 1 FROM "Ticket" t WHERE t."tenantId" = tn."id" AND t."updatedAt" > COALESCE(w."upTo" - interval '2 minutes', 'epoch'))`;
  return rows.map((r) => r.id);
}

/** UTC days whose daily rows the changed tickets touch (their creation and closing days). */
async function affectedDays(tx: TenantTx, tenantId: string, since: Date, _when: 'before' | 'after'): Promise<string[]> {
  // Called before the upsert (the old days of changed facts) and after it (their new days).
  const rows = await tx.$queryRaw<{ d: string }[]>`
    SELECT DISTINCT to_char(x.d, 'YYYY-MM-DD') AS d FROM (
      SELECT (f."createdAt" AT TIME ZONE 'UTC')::date AS d, (f."closedAt" AT TIME ZONE 'UTC')::date AS c
      FROM "TicketFact" f JOIN "Ticket" t ON t."tenantId" = f."tenantId" AND t."id" = f."ticketId"
      WHERE f."tenantId" = ${tenantId}::uuid AND t."updatedAt" > ${since}
    ) y, LATERAL (VALUES (y.d), (y.c)) x(d) WHERE x.d IS NOT NULL`;
  return rows.map((r) => r.d);
}

const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * Recomputes the daily rows (dimensions ALL, QUEUE, AGENT = owner, TYPE) of the given UTC days
 * from TicketFact: created-side figures on the creation day, solved-side on the closing day.
 */
async function rebuildDays(tx: TenantTx, tenantId: string, days: string[]) {
  if (days.length === 0) return 0;
  const sorted = [...days].sort();
  const first = new Date(`${sorted[0]}T00:00:00Z`);
  const end = new Date(new Date(`${sorted[sorted.length - 1]}T00:00:00Z`).getTime() + 86_400_000);
  const list = Prisma.sql`${sorted}::date[]`;
  await tx.$executeRaw`DELETE FROM "AnalyticsDaily" WHERE "tenantId" = ${tenantId}::uuid AND "day" = ANY(${list})`;
  const isCreated = Prisma.sql`e."kind" = 'C'`;
  const isSolved = Prisma.sql`e."kind" = 'S'`;
  const daily = await tx.$executeRaw`
    INSERT INTO "AnalyticsDaily" ("tenantId", "dim", "key", "day", "created", "solved", "firstResponses", "frMinutes", "resMinutes",
      "timeMinutes", "replies", "frHist", "resHist")
    SELECT ${tenantId}::uuid, d."dim", d."key", e."day",
      (COUNT(*) FILTER (WHERE ${isCreated}))::int, (COUNT(*) FILTER (WHERE ${isSolved}))::int,
      (COUNT(e."minutes") FILTER (WHERE ${isCreated}))::int,
      COALESCE(SUM(e."minutes") FILTER (WHERE ${isCreated}), 0), COALESCE(SUM(e."minutes") FILTER (WHERE ${isSolved}), 0),
      COALESCE(SUM(e."time"), 0), COALESCE(SUM(e."replies"), 0)::int,
      ${histogramAggregate(Prisma.sql`${isCreated} AND e."minutes" IS NOT NULL`, Prisma.sql`e."b"`)},
      ${histogramAggregate(Prisma.sql`${isSolved} AND e."minutes" IS NOT NULL`, Prisma.sql`e."b"`)}
    FROM (
      SELECT ev.*, ${bucketOf(Prisma.sql`ev."minutes"`)} AS "b" FROM (
        SELECT 'C' AS "kind", (f."createdAt" AT TIME ZONE 'UTC')::date AS "day", f."firstResponseMinutes" AS "minutes",
               f."timeMinutes" AS "time", f."agentReplies" AS "replies", f."queueId", f."ownerId", f."typeId"
        FROM "TicketFact" f
        WHERE f."tenantId" = ${tenantId}::uuid AND f."createdAt" >= ${first} AND f."createdAt" < ${end}
          AND (f."createdAt" AT TIME ZONE 'UTC')::date = ANY(${list})
        UNION ALL
        SELECT 'S', (f."closedAt" AT TIME ZONE 'UTC')::date, f."resolutionMinutes", 0, 0, f."queueId", f."ownerId", f."typeId"
        FROM "TicketFact" f
        WHERE f."tenantId" = ${tenantId}::uuid AND f."closedAt" >= ${first} AND f."closedAt" < ${end}
          AND (f."closedAt" AT TIME ZONE 'UTC')::date = ANY(${list})
      ) ev
    ) e
    CROSS JOIN LATERAL (VALUES
      ('ALL', ${NIL}::uuid), ('QUEUE', e."queueId"), ('AGENT', COALESCE(e."ownerId", ${NIL}::uuid)), ('TYPE', COALESCE(e."typeId", ${NIL}::uuid))
    ) d("dim", "key")
    GROUP BY d."dim", d."key", e."day"`;
  return daily + await rebuildMonths(tx, tenantId, sorted);
}

/**
 * Monthly rows (dim `QUEUE@M` etc., day = the 1st) summed from the daily rows of the months the
 * rebuilt days fall in, so a one-year query reads ~12 rows per key instead of ~365.
 */
async function rebuildMonths(tx: TenantTx, tenantId: string, days: string[]) {
  const months = [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))];
  const list = Prisma.sql`${months}::date[]`;
  await tx.$executeRaw`DELETE FROM "AnalyticsDaily" WHERE "tenantId" = ${tenantId}::uuid AND "dim" LIKE '%@M' AND "day" = ANY(${list})`;
  return tx.$executeRaw`
    INSERT INTO "AnalyticsDaily" ("tenantId", "dim", "key", "day", "created", "solved", "firstResponses", "frMinutes", "resMinutes",
      "timeMinutes", "replies", "frHist", "resHist")
    SELECT ${tenantId}::uuid, "dim" || '@M', "key", date_trunc('month', "day")::date,
      SUM("created")::int, SUM("solved")::int, SUM("firstResponses")::int, SUM("frMinutes"), SUM("resMinutes"), SUM("timeMinutes"), SUM("replies")::int,
      ${histogramSum(Prisma.sql`"frHist"`)}, ${histogramSum(Prisma.sql`"resHist"`)}
    FROM "AnalyticsDaily"
    WHERE "tenantId" = ${tenantId}::uuid AND "dim" NOT LIKE '%@M' AND date_trunc('month', "day")::date = ANY(${list})
    GROUP BY "dim", "key", date_trunc('month', "day")`;
}
