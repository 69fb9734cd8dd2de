import { withTenant } from '@parley/db';
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
    await tx.analyticsWatermark.upsert({ where: { tenantId }, create: { tenantId, upTo: now, refreshedAt: now }, update: { upTo: now, refreshedAt: now } });
    return { upserted, removed, since };
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
