// Benchmark: a tenant with N closed tickets (closed 60 days ago) and 2,000 open ones in one
// queue. Queue-view latency (GraphQL `tickets`, first page, through the real API) before and
// after archiving the closed ones, and the time the archive job takes.
//
//   PARLEY_BENCH_ADMIN_URL=postgres://postgres@127.0.0.1:55432/parley_bench REDIS_URL=redis://127.0.0.1:63799 \
//     pnpm exec node bench/archive.bench.ts [closedTickets=300000]
import { randomBytes } from 'node:crypto';
import { migrate } from '@parley/db/migrate.ts';
import { withTenant } from '@parley/db';
import { loadConfig } from '@parley/api/config.ts';
import { TEST_SECRETS_KEY } from '../support/secrets-key.ts';
import { createServices } from '@parley/api/services.ts';
import { createApi } from '@parley/api/app.ts';
import { onboardTenant } from '@parley/api/tenants/onboard-tenant.ts';
import { login } from '@parley/api/auth/login.ts';
import { archiveClosedTickets } from '@parley/api/retention/retention.ts';

const n = Number(process.argv[2] ?? 300_000);
const { appUrl, systemUrl } = await migrate(process.env.PARLEY_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:55432/parley_bench');
const services = createServices(loadConfig({ DATABASE_APP_URL: appUrl, DATABASE_SYSTEM_URL: systemUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:63799', SECRETS_KEY: TEST_SECRETS_KEY, LOG_LEVEL: 'warn', EVENT_FAN_OUT: 'false', LOGIN_ATTEMPTS_PER_IP_15_MIN: '1000000' }), 'bench');
const slug = `arc${randomBytes(4).toString('hex')}`;
const { tenant, queues } = await onboardTenant(services.db, { slug, name: 'Archive bench', adminEmail: `admin@${slug}.test`, adminPassword: 'correct-horse-battery' });
const { token } = await login(services, { tenantSlug: slug, email: `admin@${slug}.test`, password: 'correct-horse-battery' }, { ip: `10.${randomBytes(3).join('.')}`, userAgent: 'bench' });
const queueId = queues.find((q) => q.name === 'Support')!.id;

const t0 = performance.now();
await withTenant(services.db, tenant.id, async (tx) => {
  const closed = await tx.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } });
  const open = await tx.ticketState.findFirstOrThrow({ where: { type: 'OPEN' } });
  const priority = await tx.priority.findFirstOrThrow({ where: { level: 3 } });
  await tx.$executeRaw`
    INSERT INTO "Ticket" ("id", "tenantId", "number", "title", "queueId", "stateId", "priorityId", "createdAt", "updatedAt", "closedAt")
    SELECT gen_random_uuid(), ${tenant.id}::uuid, 'C' || g, 'closed ' || g, ${queueId}::uuid, ${closed.id}::uuid, ${priority.id}::uuid,
           now() - interval '90 days' + g * interval '1 second', now(), now() - interval '60 days'
    FROM generate_series(1, ${n}) g`;
  await tx.$executeRaw`
    INSERT INTO "Ticket" ("id", "tenantId", "number", "title", "queueId", "stateId", "priorityId", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), ${tenant.id}::uuid, 'O' || g, 'open ' || g, ${queueId}::uuid, ${open.id}::uuid, ${priority.id}::uuid,
           now() - g * interval '1 minute', now()
    FROM generate_series(1, 2000) g`;
}, { timeout: 600_000 });
await services.db.$executeRawUnsafe('ANALYZE "Ticket"').catch(() => {}); // parley_app may not own it: best effort
console.error(`inserted ${n} closed + 2000 open tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const api = createApi(services);
const port = await api.listen(0, '127.0.0.1');
const QUERY = `query($q: ID!) { tickets(first: 25, filter: { queueIds: [$q] }, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount edges { node { number title state { name } priority { name } } } } }`;
async function measure(runs = 40) {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY, variables: { q: queueId } }) });
    const body = await res.json() as { data?: { tickets: { totalCount: number } }; errors?: unknown };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    total = body.data.tickets.totalCount;
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return { workingTickets: total, p50ms: +times[Math.floor(runs / 2)].toFixed(1), p95ms: +times[Math.floor(runs * 0.95)].toFixed(1) };
}
await measure(5); // warm-up
const before = await measure();
const a0 = performance.now();
const archived = await archiveClosedTickets(services.db, tenant.id, 30);
const archiveSeconds = (performance.now() - a0) / 1000;
await measure(5);
const after = await measure();
console.log(JSON.stringify({ closedTickets: n, openTickets: 2000, archived, archiveSeconds: +archiveSeconds.toFixed(1), archivedPerSecond: Math.round(archived / archiveSeconds), queueViewBefore: before, queueViewAfter: after }, null, 2));
await api.close();
await services.close();
process.exit(0);
