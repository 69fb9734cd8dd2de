// Builds a tenant at the scale of the seeds' largest user (uCoz: 330,000 tickets, 1,000,000+
// articles, 47 queues, 16 agents) in the bench database, in minutes on two cores.
//
//   PARLEY_BENCH_ADMIN_URL=postgres://postgres@127.0.0.1:54329/parley_bench \
//     pnpm --filter @parley/test exec node bench/generate-big-tenant.ts [tickets]
//
// The ticket count defaults to PARLEY_BENCH_TICKETS, else 330,000. Benches that do not depend on
// the tenant's size (web-render: its 200-article ticket) can run on a few thousand tickets.
//
// The tenant, its agents and queues are created through the use cases; the bulk rows are made
// by INSERT … SELECT over generate_series inside PostgreSQL (as the owner), since pushing a
// million rows through HTTP would measure the generator, not Parley.
import pg from 'pg';
import { migrate } from '@parley/db/migrate.ts';
import { createPrismaClient, withTenant } from '@parley/db';
import { onboardTenant } from '@parley/api/tenants/onboard-tenant.ts';
import { createAgent } from '@parley/api/agents/create-agent.ts';

export const BIG = { slug: 'ucoz', agents: 16, queues: 47, customers: 20_000 } as const;
export const BIG_PASSWORD = 'bench-password';

export function benchAdminUrl() {
  const url = process.env.PARLEY_BENCH_ADMIN_URL;
  if (!url) throw new Error('set PARLEY_BENCH_ADMIN_URL to a superuser URL of the bench database (e.g. postgres://postgres@127.0.0.1:54329/parley_bench)');
  return url;
}

/** The tenant's ticket count: PARLEY_BENCH_TICKETS, default the full 330,000. */
export function benchTickets(): number {
  const raw = process.env.PARLEY_BENCH_TICKETS;
  const n = raw ? Number(raw) : 330_000;
  if (!Number.isInteger(n) || n < 1) throw new Error(`PARLEY_BENCH_TICKETS=${raw} is not a positive integer`);
  return n;
}

export async function generateBigTenant(adminUrl: string, tickets = 330_000, log = console.log) {
  const t0 = Date.now();
  const { appUrl } = await migrate(adminUrl);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const existing = await admin.query(`SELECT id FROM "Tenant" WHERE slug = $1`, [BIG.slug]);
    if (existing.rowCount) {
      const n = await admin.query(`SELECT count(*)::int AS n FROM "Ticket" WHERE "tenantId" = $1`, [existing.rows[0].id]);
      if (n.rows[0].n >= tickets) { log(`tenant ${BIG.slug} exists with ${n.rows[0].n} tickets; nothing to do`); return existing.rows[0].id as string; }
      await admin.query(`DELETE FROM "Ticket" WHERE "tenantId" = $1`, [existing.rows[0].id]);
      await admin.query(`DELETE FROM "Tenant" WHERE id = $1`, [existing.rows[0].id]);
    }
    const db = createPrismaClient(appUrl);
    const { tenant, agentsRoleId } = await onboardTenant(db, { slug: BIG.slug, name: 'uCoz (bench)', adminEmail: `admin@${BIG.slug}.test`, adminPassword: BIG_PASSWORD });
    const tenantId = tenant.id;
    await withTenant(db, tenantId, async (tx) => {
      const extra = Array.from({ length: BIG.queues - 4 }, (_, i) => ({ tenantId, name: `Queue ${String(i + 1).padStart(2, '0')}`, ticketPrefix: `Q${i + 1}`, openToCustomers: i % 3 === 0 }));
      await tx.queue.createMany({ data: extra });
      const all = await tx.queue.findMany({ select: { id: true } });
      await tx.queuePermission.deleteMany({});
      await tx.queuePermission.createMany({ data: all.map((q) => ({ tenantId, roleId: agentsRoleId, queueId: q.id, permissions: ['RW' as const] })) });
    });
    for (let i = 1; i < BIG.agents; i++) {
      await createAgent(db, tenantId, { email: `agent${i}@${BIG.slug}.test`, name: `Agent ${i}`, password: BIG_PASSWORD, roleIds: [agentsRoleId] });
    }
    await db.$disconnect();
    log(`tenant, ${BIG.queues} queues and ${BIG.agents} agents in ${Date.now() - t0} ms`);

    const step = async (label: string, sql: string, params: unknown[] = []) => {
      const s = Date.now();
      const r = await admin.query(sql, params);
      log(`${label}: ${r.rowCount ?? ''} rows in ${((Date.now() - s) / 1000).toFixed(1)} s`);
    };
    await admin.query(`SET synchronous_commit = off`);
    await step('companies', `INSERT INTO "CustomerCompany" (id, "tenantId", name) SELECT gen_random_uuid(), $1, 'Company ' || g FROM generate_series(1, 2000) g`, [tenantId]);
    await step('customers', `
      WITH co AS (SELECT array_agg(id ORDER BY id) a FROM "CustomerCompany" WHERE "tenantId" = $1)
      INSERT INTO "CustomerUser" (id, "tenantId", email, name, "companyId", "updatedAt")
      SELECT gen_random_uuid(), $1, 'customer' || g || '@bench.example', 'Customer ' || g, co.a[1 + g % array_length(co.a, 1)], now()
      FROM generate_series(1, $2::int) g, co`, [tenantId, BIG.customers]);
    // Lookup arrays so the big INSERTs pick rows by index instead of joining.
    await step('tickets', `
      WITH q AS (SELECT array_agg(id ORDER BY id) a FROM "Queue" WHERE "tenantId" = $1),
           s AS (SELECT array_agg(id ORDER BY type, name) FILTER (WHERE type IN ('NEW','OPEN','PENDING_REMINDER')) w,
                        array_agg(id ORDER BY name) FILTER (WHERE type = 'CLOSED') c FROM "TicketState" WHERE "tenantId" = $1),
           p AS (SELECT array_agg(id ORDER BY level) a FROM "Priority" WHERE "tenantId" = $1),
           u AS (SELECT array_agg(id ORDER BY id) a FROM "User" WHERE "tenantId" = $1),
           c AS (SELECT array_agg(id ORDER BY id) a, array_agg("companyId" ORDER BY id) co FROM "CustomerUser" WHERE "tenantId" = $1)
      INSERT INTO "Ticket" (id, "tenantId", number, title, "queueId", "stateId", "priorityId", "ownerId", "customerUserId", "customerCompanyId", channel, "createdAt", "updatedAt", "closedAt", "firstResponseAt")
      SELECT gen_random_uuid(), $1,
             to_char(ts, 'YYYYMMDD') || '10' || lpad(g::text, 6, '0'),
             'Bench ticket ' || g || ' about ' || (ARRAY['login','billing','export','dns','mail','hosting','ssl','backup'])[1 + g % 8],
             q.a[1 + g % array_length(q.a, 1)],
             CASE WHEN g % 100 < 85 THEN s.c[1 + g % array_length(s.c, 1)] ELSE s.w[1 + g % array_length(s.w, 1)] END,
             p.a[1 + (g % 13) % 5],
             CASE WHEN g % 10 = 0 THEN NULL ELSE u.a[1 + g % array_length(u.a, 1)] END,
             c.a[1 + g % array_length(c.a, 1)], c.co[1 + g % array_length(c.a, 1)],
             (ARRAY['EMAIL','PORTAL','PHONE']::"TicketChannel"[])[1 + g % 3],
             ts, ts + interval '2 hours',
             CASE WHEN g % 100 < 85 THEN ts + interval '1 day' END,
             CASE WHEN g % 10 <> 0 THEN ts + interval '35 minutes' END
      FROM generate_series(1, $2::int) g,
           LATERAL (SELECT now() - ((($2::int - g)::float / $2::int) * interval '730 days') AS ts) t, q, s, p, u, c`, [tenantId, tickets]);
    await step('articles', `
      INSERT INTO "Article" (id, "tenantId", "ticketId", channel, "senderType", "visibleToCustomer", subject, "bodyText", "authorUserId", "authorCustomerUserId", "timeMinutes", "createdAt")
      SELECT gen_random_uuid(), t."tenantId", t.id,
             CASE WHEN k = 1 THEN 'EMAIL'::"TicketChannel" WHEN k % 3 = 0 THEN 'NOTE'::"TicketChannel" ELSE 'EMAIL'::"TicketChannel" END,
             CASE WHEN k % 2 = 1 THEN 'CUSTOMER'::"SenderType" ELSE 'AGENT'::"SenderType" END,
             k % 3 <> 0, t.title,
             'Message ' || k || ' of ticket ' || t.number || '. ' || (ARRAY['The login page times out.','Please refund the last invoice.','Our DNS records vanished.','Mail to our domain bounces.','Backup restore failed overnight.'])[1 + k % 5],
             CASE WHEN k % 2 = 0 THEN t."ownerId" END, CASE WHEN k % 2 = 1 THEN t."customerUserId" END,
             CASE WHEN k % 2 = 0 THEN 5 ELSE 0 END,
             t."createdAt" + (k * interval '30 minutes')
      FROM "Ticket" t, LATERAL generate_series(1, 2 + (abs(hashtext(t.id::text)) % 4)) k
      WHERE t."tenantId" = $1`, [tenantId]);
    await step('history', `
      INSERT INTO "TicketHistory" (id, "tenantId", "ticketId", action, "newValue", "createdAt")
      SELECT gen_random_uuid(), "tenantId", id, 'created', number, "createdAt" FROM "Ticket" WHERE "tenantId" = $1`, [tenantId]);
    await step('counter', `INSERT INTO "TicketCounter" ("tenantId", scope, value) VALUES ($1, 'date:' || to_char(now(), 'YYYYMMDD'), $2) ON CONFLICT DO NOTHING`, [tenantId, tickets + 1]);
    await step('analyze', 'ANALYZE');
    const counts = await admin.query(`SELECT (SELECT count(*) FROM "Ticket" WHERE "tenantId" = $1)::int AS tickets, (SELECT count(*) FROM "Article" WHERE "tenantId" = $1)::int AS articles`, [tenantId]);
    log(`done: ${counts.rows[0].tickets} tickets, ${counts.rows[0].articles} articles in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return tenantId as string;
  } finally {
    await admin.end();
  }
}

if (import.meta.main) {
  await generateBigTenant(benchAdminUrl(), process.argv[2] ? Number(process.argv[2]) : benchTickets());
  process.exit(0);
}
