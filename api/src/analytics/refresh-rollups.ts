import { withTenant, type TenantTx } from '@parley/db';
import { storeBusinessMinutes } from './business-minutes.ts';
import { rebuildDays } from './rollup-days.ts';
import type { Services } from '../services.ts';

/**
 * Keeps the analytics rollup (TicketFact: one row per ticket with its wall-clock and business-hours
 * first-response and resolution minutes, SLA compliance, time accounted and reply count; then
 * AnalyticsDaily per day/month/quarter and dimension) current for a tenant. Incremental:
 * only tickets updated since the watermark (minus an overlap for transactions that committed
 * late) are re-read; each row is recomputed from scratch, so running it twice, concurrently or
 * after a crash gives the same table. Merged and removed tickets leave the rollup.
 * Business minutes are computed here, once per change of a ticket (business-minutes.ts), and
 * stored: queries never run calendar math.
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
        "firstResponseMinutes", "resolutionMinutes", "timeMinutes", "agentReplies", "refreshedAt", "slaId", "frInTime", "solutionInTime")
      SELECT t."tenantId", t."id", t."createdAt", t."queueId", t."ownerId", t."typeId", t."customerCompanyId",
        CASE WHEN s."type" = 'CLOSED' THEN t."closedAt" END,
        CASE WHEN t."firstResponseAt" IS NOT NULL THEN GREATEST(0, floor(extract(epoch FROM t."firstResponseAt" - t."createdAt") / 60))::int END,
        CASE WHEN s."type" = 'CLOSED' AND t."closedAt" IS NOT NULL THEN GREATEST(0, floor(extract(epoch FROM t."closedAt" - t."createdAt") / 60))::int END,
        COALESCE(a."time", 0), COALESCE(a."replies", 0), ${now},
        (SELECT r."slaId" FROM "SlaResult" r WHERE r."tenantId" = t."tenantId" AND r."ticketId" = t."id" ORDER BY r."updatedAt" DESC LIMIT 1),
        (SELECT r."inTime" FROM "SlaResult" r WHERE r."tenantId" = t."tenantId" AND r."ticketId" = t."id" AND r."target" = 'FIRST_RESPONSE' AND r."cycle" = 0),
        CASE WHEN s."type" = 'CLOSED' THEN (SELECT r."inTime" FROM "SlaResult" r
          WHERE r."tenantId" = t."tenantId" AND r."ticketId" = t."id" AND r."target" = 'SOLUTION' AND r."cycle" = 0) END
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
        "agentReplies" = EXCLUDED."agentReplies", "refreshedAt" = EXCLUDED."refreshedAt", "slaId" = EXCLUDED."slaId",
        "frInTime" = EXCLUDED."frInTime", "solutionInTime" = EXCLUDED."solutionInTime"`;
    await storeBusinessMinutes(tx, tenantId, now);
    const removed = await tx.$executeRaw`
      DELETE FROM "TicketFact" f USING "Ticket" t, "TicketState" s
      WHERE f."tenantId" = ${tenantId}::uuid AND t."tenantId" = f."tenantId" AND t."id" = f."ticketId"
        AND s."tenantId" = t."tenantId" AND s."id" = t."stateId" AND t."updatedAt" > ${since} AND s."type" IN ('MERGED', 'REMOVED')`;
    for (const d of await touchedDays('after')) days.add(d);
    const daysRebuilt = await rebuildDays(tx, tenantId, [...days]);
    await tx.analyticsWatermark.upsert({ where: { tenantId }, create: { tenantId, upTo: now, refreshedAt: now }, update: { upTo: now, refreshedAt: now } });
    return { upserted, removed, daysRebuilt, since };
    // the first build of a big tenant (330,000 tickets: ~9 min on the loaded 2-core dev box) must not hit the limit
  }, { timeout: 30 * 60_000 });
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
