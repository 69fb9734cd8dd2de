// Benchmark: (A) N open tickets: the worker's event jobs compute deadlines and schedule delayed
// escalation jobs (throughput); (B) up to 500 more whose breaches are spread over S seconds after
// their scheduling: how late each fired (target < 5 s); (C) the sweep's cost per run (nothing due / 500 due).
//
//   PARLEY_BENCH_ADMIN_URL=postgres://postgres@127.0.0.1:55432/parley_bench REDIS_URL=redis://127.0.0.1:63799 \
//     pnpm exec node bench/escalation.bench.ts [tickets=100000] [spreadSeconds=30] [concurrency=50]
import { randomBytes, randomUUID } from 'node:crypto';
import { migrate } from '@parley/db/migrate.ts';
import { withTenant } from '@parley/db';
import { loadConfig } from '@parley/api/config.ts';
import { TEST_SECRETS_KEY } from '../support/secrets-key.ts';
import { createServices } from '@parley/api/services.ts';
import { onboardTenant } from '@parley/api/tenants/onboard-tenant.ts';
import { assignSla, createSla, saveCalendar } from '@parley/api/sla/sla-admin.ts';
import { runWorkers } from '@parley/worker/run-workers.ts';
import { closeQueues, queueFor } from '@parley/worker/queues.ts';
import { ticketEventJob } from '@parley/worker/jobs/ticket-event/definition.ts';
import { slaEscalationJob } from '@parley/worker/jobs/sla-escalation/definition.ts';
import { sweepEscalations } from '@parley/worker/jobs/sla-sweep/handler.ts';

const n = Number(process.argv[2] ?? 100_000);
const spread = Number(process.argv[3] ?? 30);
const concurrency = Number(process.argv[4] ?? 50);
const adminUrl = process.env.PARLEY_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:55432/parley_bench';
const { appUrl, systemUrl } = await migrate(adminUrl);
const prefix = `bench${randomBytes(3).toString('hex')}`;
const services = createServices(loadConfig({ DATABASE_APP_URL: appUrl, DATABASE_SYSTEM_URL: systemUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:63799', SECRETS_KEY: TEST_SECRETS_KEY, LOG_LEVEL: 'warn', QUEUE_PREFIX: prefix, DB_POOL_SIZE: '30' }), 'bench');
const slug = `esc${randomBytes(4).toString('hex')}`;
const { tenant, queues } = await onboardTenant(services.db, { slug, name: 'Escalation bench', adminEmail: `admin@${slug}.test`, adminPassword: 'correct-horse-battery' });
const admin = await withTenant(services.db, tenant.id, (tx) => tx.user.findFirstOrThrow({ where: { kind: 'ADMIN' } }));
const viewer = { kind: 'agent' as const, tenantId: tenant.id, userId: admin.id, isAdmin: true, apiKey: null, sessionId: null };
const allDay = [{ start: '00:00', end: '24:00' }];
const cal = await saveCalendar(services.db, viewer, { name: '24/7', timeZone: 'UTC', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay])) });
const sla = await createSla(services.db, viewer, { name: 'FR 60', calendarId: cal.id, firstResponseMinutes: 60 });
await assignSla(services.db, viewer, { slaId: sla.id });
const queueId = queues[1].id;

async function insertTickets(count: number, firstDueMs: number, spreadMs: number) {
  return withTenant(services.db, tenant.id, async (tx) => {
    const state = await tx.ticketState.findFirstOrThrow({ where: { type: 'NEW' } });
    const priority = await tx.priority.findFirstOrThrow({ where: { level: 3 } });
    const base = firstDueMs - 60 * 60_000; // createdAt = due - 60 min (FR target, 24/7); must not be in the future
    const tag = randomBytes(3).toString('hex');
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Ticket" ("id", "tenantId", "number", "title", "queueId", "stateId", "priorityId", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), ${tenant.id}::uuid, ${tag} || '-' || g, 'bench ' || g, ${queueId}::uuid, ${state.id}::uuid, ${priority.id}::uuid,
             to_timestamp((${base}::bigint + (g::bigint * ${spreadMs}::bigint / ${count}::bigint)) / 1000.0), now()
      FROM generate_series(1, ${count}) g RETURNING "id"`;
    return rows.map((r) => r.id);
  });
}

const running = await runWorkers(services, [ticketEventJob, slaEscalationJob], { prefix, concurrency });
const q = queueFor(services.config.REDIS_URL, 'automation', prefix);
/** Publishes TICKET_CREATED fan-out jobs for `ids` and waits until every one has its SLA result. */
async function schedule(ids: string[]) {
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += 1000) {
    await q.addBulk(ids.slice(i, i + 1000).map((id) => {
      const eventId = randomUUID();
      return { name: ticketEventJob.name, data: { id: eventId, kind: 'TICKET_CREATED', tenantId: tenant.id, ticketId: id, queueId, customerUserId: null, customerCompanyId: null, at: new Date().toISOString() }, opts: { jobId: `ev-${eventId}` } };
    }));
  }
  for (;;) {
    const done = await withTenant(services.db, tenant.id, (tx) => tx.slaResult.count({ where: { ticketId: { in: ids } } }));
    if (done >= ids.length) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return (performance.now() - t0) / 1000;
}

// Phase A: N open tickets with deadlines an hour away: deadline computation + scheduling throughput.
const bulk = await insertTickets(n, Date.now() + 3600_000 - 601_000, 600_000); // created over the last 10 min
const scheduleSeconds = await schedule(bulk);
console.error(`phase A: ${n} deadlines computed and escalations scheduled in ${scheduleSeconds.toFixed(1)} s`);

// Phase B: M tickets whose breach moments come after their scheduling is surely done, spread over S s.
const m = Math.min(n, Number(process.env.BENCH_FIRING ?? 500));
const lead = Math.ceil((scheduleSeconds / n) * m * 2 * 1000) + 10_000;
const firing = await insertTickets(m, Date.now() + lead, spread * 1000);
await schedule(firing);
await new Promise((r) => setTimeout(r, Math.max(0, lead + spread * 1000 - 0) + 10_000));
const results = await withTenant(services.db, tenant.id, (tx) => tx.slaResult.findMany({ where: { ticketId: { in: firing } }, select: { dueAt: true, breachedAt: true } }));
const lateness = results.filter((r) => r.breachedAt && r.dueAt).map((r) => r.breachedAt!.getTime() - r.dueAt!.getTime()).sort((a, b) => a - b);
const pct = (p: number) => lateness[Math.min(lateness.length - 1, Math.floor((p / 100) * lateness.length))];

// the sweep's cost: nothing due (the normal case), then a backlog of 500 due tickets
const empty = await sweepEscalations(services);
await withTenant(services.db, tenant.id, (tx) => tx.ticket.updateMany({ where: { id: { in: bulk.slice(0, 500) } }, data: { escalationAt: new Date(Date.now() - 1000) } }));
const backlog = await sweepEscalations(services);

console.log(JSON.stringify({
  tickets: n, spreadSeconds: spread, workerConcurrency: concurrency,
  scheduleSeconds: +scheduleSeconds.toFixed(1), schedulePerSecond: Math.round(n / scheduleSeconds),
  firingTickets: m, breachesFired: lateness.length,
  latenessMs: { p50: pct(50), p99: pct(99), max: lateness[lateness.length - 1] },
  within5s: lateness.filter((l) => l <= 5000).length,
  sweep: { nothingDueMs: empty.ms, due500: backlog },
}, null, 2));
await running.close();
await closeQueues();
await services.close();
process.exit(0); // BullMQ/ioredis handles must not keep a finished benchmark alive
