// Analytics on the big tenant (generate-big-tenant.ts: 330,000 tickets over two years, ~1.1M
// articles): the first full rollup, the p95 of the analytics queries over a one-year range
// (target < 200 ms for every dimension, company included: all read AnalyticsDaily), and the
// cost of the incremental refresh after 1,000 new tickets (removed again afterwards, so the
// shared big tenant stays as generated).
//
//   PARLEY_BENCH_ADMIN_URL=postgres://postgres@127.0.0.1:55432/parley_bench_billing REDIS_URL=redis://127.0.0.1:63799 \
//     pnpm --filter @parley/test exec node bench/analytics.bench.ts [tickets]
import pg from 'pg';
import { loadConfig } from '@parley/api/config.ts';
import { TEST_SECRETS_KEY } from '../support/secrets-key.ts';
import { createServices } from '@parley/api/services.ts';
import { withTenant } from '@parley/db';
import { refreshTenantRollups } from '@parley/api/analytics/refresh-rollups.ts';
import { rebuildDays } from '@parley/api/analytics/rollup-days.ts';
import { incidentStats, ratingStats, ticketStats, type GroupBy } from '@parley/api/analytics/analytics-queries.ts';
import { benchAdminUrl, generateBigTenant } from './generate-big-tenant.ts';
import { summary, timed } from './lib.ts';

const adminUrl = benchAdminUrl();
const tickets = Number(process.argv[2] ?? 330_000);
const tenantId = await generateBigTenant(adminUrl, tickets);
const services = createServices(loadConfig({ DATABASE_URL: adminUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:63799', SECRETS_KEY: TEST_SECRETS_KEY, LOG_LEVEL: 'warn', DB_POOL_SIZE: '8' }), 'bench');
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();

try {
  // Start from an empty rollup so the first refresh is the full build (BENCH_KEEP_ROLLUP=1: keep
  // the rollup a previous run built and measure the queries and the incremental refresh only).
  if (process.env.BENCH_KEEP_ROLLUP !== '1') {
    await admin.query(`DELETE FROM "TicketFact" WHERE "tenantId" = $1`, [tenantId]);
    await admin.query(`DELETE FROM "AnalyticsWatermark" WHERE "tenantId" = $1`, [tenantId]);
    await admin.query(`DELETE FROM "AnalyticsDaily" WHERE "tenantId" = $1`, [tenantId]);
  }
  const [fullMs, full] = await timed(() => refreshTenantRollups(services, tenantId));
  console.log(`${process.env.BENCH_KEEP_ROLLUP === '1' ? 'refresh of the kept rollup' : 'full rollup build'}: ${full.upserted} tickets, ${full.daysRebuilt} daily rows in ${(fullMs / 1000).toFixed(1)} s`);
  await admin.query('ANALYZE "TicketFact"');
  await admin.query('ANALYZE "AnalyticsDaily"');
  const [noopMs, noop] = await timed(() => refreshTenantRollups(services, tenantId));
  console.log(`refresh with nothing new: ${noop.upserted} tickets re-read (overlap window) in ${noopMs.toFixed(0)} ms`);

  const to = new Date();
  const from = new Date(to.getTime() - 365 * 86_400_000);
  const runs = 30;
  const measure = async (label: string, fn: () => Promise<unknown>) => {
    await fn(); // warm
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) ms.push((await timed(fn))[0]);
    console.log(summary(label, ms));
  };
  for (const g of ['NONE', 'QUEUE', 'AGENT', 'TYPE', 'COMPANY'] as GroupBy[]) {
    await measure(`tickets 1y groupBy ${g}`, () => ticketStats(services.db, tenantId, { from, to }, g));
  }
  await measure('ratings 1y', () => ratingStats(services.db, tenantId, { from, to }));
  await measure('incidents 1y', () => incidentStats(services.db, tenantId, { from, to }));
  await measure('tickets 30d groupBy QUEUE', () => ticketStats(services.db, tenantId, { from: new Date(to.getTime() - 30 * 86_400_000), to }, 'QUEUE'));

  // 1,000 new tickets (with two articles each), then the incremental refresh.
  await admin.query(`
    WITH q AS (SELECT array_agg(id) a FROM "Queue" WHERE "tenantId" = $1),
         s AS (SELECT id FROM "TicketState" WHERE "tenantId" = $1 AND type = 'OPEN' LIMIT 1),
         p AS (SELECT id FROM "Priority" WHERE "tenantId" = $1 AND level = 3 LIMIT 1)
    INSERT INTO "Ticket" (id, "tenantId", number, title, "queueId", "stateId", "priorityId", channel, "createdAt", "updatedAt", "firstResponseAt")
    SELECT gen_random_uuid(), $1, 'NEW' || g || '-' || extract(epoch FROM now())::bigint, 'new ' || g, q.a[1 + g % array_length(q.a, 1)], s.id, p.id, 'EMAIL',
           now(), now(), now() + interval '12 minutes'
    FROM generate_series(1, 1000) g, q, s, p`, [tenantId]);
  await admin.query(`
    INSERT INTO "Article" (id, "tenantId", "ticketId", channel, "senderType", "bodyText", "timeMinutes", "createdAt")
    SELECT gen_random_uuid(), t."tenantId", t.id, 'EMAIL', (ARRAY['CUSTOMER','AGENT']::"SenderType"[])[k], 'x', 5 * (k - 1), now()
    FROM "Ticket" t, generate_series(1, 2) k WHERE t."tenantId" = $1 AND t.number LIKE 'NEW%' AND t."createdAt" > now() - interval '1 minute'`, [tenantId]);
  const [incMs, inc] = await timed(() => refreshTenantRollups(services, tenantId));
  console.log(`incremental refresh after 1,000 new tickets: ${inc.upserted} tickets, ${inc.daysRebuilt} daily rows rebuilt in ${incMs.toFixed(0)} ms`);
  await measure('tickets 1y groupBy NONE (after)', () => ticketStats(services.db, tenantId, { from, to: new Date() }, 'NONE'));
  await measure('tickets 1y groupBy COMPANY (after)', () => ticketStats(services.db, tenantId, { from, to: new Date() }, 'COMPANY'));
  // leave the big tenant as generated: drop the bench's tickets and refresh once more
  await admin.query(`DELETE FROM "Article" WHERE "tenantId" = $1 AND "ticketId" IN (SELECT id FROM "Ticket" WHERE "tenantId" = $1 AND number LIKE 'NEW%')`, [tenantId]);
  await admin.query(`DELETE FROM "TicketFact" WHERE "tenantId" = $1 AND "ticketId" IN (SELECT id FROM "Ticket" WHERE "tenantId" = $1 AND number LIKE 'NEW%')`, [tenantId]);
  await admin.query(`DELETE FROM "Ticket" WHERE "tenantId" = $1 AND number LIKE 'NEW%'`, [tenantId]);
  const today = new Date().toISOString().slice(0, 10);
  const [cleanMs] = await timed(() => withTenant(services.db, tenantId, (tx) => rebuildDays(tx, tenantId, [today])));
  console.log(`bench tickets removed, rollup refreshed in ${cleanMs.toFixed(0)} ms`);
} finally {
  await admin.end();
  await services.close();
}
process.exit(0);
