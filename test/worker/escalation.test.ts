// SLA escalation through real Redis delayed jobs, and the sweep catching what a stopped worker missed.
import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { closeQueues, enqueue, queueFor } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { ticketEventJob } from '@parley/worker/jobs/ticket-event/definition.ts';
import { slaEscalationJob } from '@parley/worker/jobs/sla-escalation/definition.ts';
import { escalationJobId } from '@parley/worker/jobs/sla-escalation/handler.ts';
import { slaSweepJob } from '@parley/worker/jobs/sla-sweep/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { subscribe } from '../support/subscribe.ts';
import { openAgedTicket, setUpSla, ticketRow } from '../support/sla.ts';

const prefix = `t${randomBytes(4).toString('hex')}`;
const jobs = [ticketEventJob, slaEscalationJob];
let api: TestApi;
let running: RunningWorkers | null = null;
let f: TenantFixture;

beforeAll(async () => {
  api = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'true' });
  running = await runWorkers(api.services, jobs, { prefix });
  f = await createTenantFixture(api);
  await setUpSla(api, f, { firstResponseMinutes: 60, warnPercent: 50, actions: { warning: [], breach: [{ type: 'raise_priority' }] } });
});
afterAll(async () => {
  await running?.close();
  await closeQueues();
  await api.close();
});

const ESCALATIONS = 'subscription { escalations { kind ticketId slaTarget dueAt } }';

it('fires the warning at once and the breach through a delayed job at its moment, with history, notifications, result and action', async () => {
  const sub = await subscribe(api.wsUrl, f.agent.token, ESCALATIONS);
  // created 59 min 57 s ago: the 50 % warning (30 min) has passed, the breach (60 min) is 3 s away
  const ticket = await openAgedTicket(api, f, 60 * 60_000 - 3_000);
  const warning = (await sub.next(10_000)).data.escalations;
  expect(warning).toMatchObject({ kind: 'SLA_WARNING', ticketId: ticket.id, slaTarget: 'FIRST_RESPONSE' });
  const dueAt = new Date(warning.dueAt).getTime();
  expect(Math.abs(dueAt - (ticket.createdAt.getTime() + 60 * 60_000))).toBeLessThan(5);
  const row = await ticketRow(api, f, ticket.id);
  expect(row.firstResponseDueAt?.getTime()).toBe(dueAt);
  expect(row.escalationAt?.getTime()).toBe(dueAt);
  const delayed = await queueFor(api.services.config.REDIS_URL, 'escalation', prefix).getJob(escalationJobId(ticket.id, new Date(dueAt)));
  expect(delayed).toBeTruthy();

  const breach = (await sub.next(15_000)).data.escalations;
  const lateness = Date.now() - dueAt;
  expect(breach).toMatchObject({ kind: 'SLA_BREACH', ticketId: ticket.id });
  expect(lateness).toBeGreaterThanOrEqual(0);
  expect(lateness).toBeLessThan(5_000);
  await sub.close();

  const after = await ticketRow(api, f, ticket.id);
  expect(after.priority.level).toBe(4); // raise_priority from "3 normal"
  expect(after.escalationAt).toBeNull();
  await withTenant(api.services.db, f.tenant.id, async (tx) => {
    const history = await tx.ticketHistory.findMany({ where: { ticketId: ticket.id, action: { in: ['sla_warning', 'sla_breach'] } } });
    expect(history.map((h) => h.action).sort()).toEqual(['sla_breach', 'sla_warning']);
    const result = await tx.slaResult.findFirstOrThrow({ where: { ticketId: ticket.id, target: 'FIRST_RESPONSE' } });
    expect(result).toMatchObject({ inTime: false, metAt: null });
    expect(result.warnedAt).not.toBeNull();
    expect(result.breachedAt).not.toBeNull();
    const notes = await tx.agentNotification.findMany({ where: { ticketId: ticket.id } });
    expect(new Set(notes.map((n) => n.userId)).has(f.agent.id)).toBe(true); // no owner: the queue's agents
  });
  const mine = await api.gql('{ myNotifications { kind ticketId } }', {}, f.agent.token);
  expect(mine.data.myNotifications.filter((n: { ticketId: string }) => n.ticketId === ticket.id).map((n: { kind: string }) => n.kind).sort()).toEqual(['sla_breach', 'sla_warning']);
  const other = await createTenantFixture(api);
  expect((await api.gql(`query($t: ID!) { slaResults(ticketId: $t) { id } }`, { t: ticket.id }, other.admin.token)).data.slaResults).toEqual([]);
  expect((await api.gql('{ myNotifications { id } }', {}, other.agent.token)).data.myNotifications).toEqual([]);
});

it('an agent reply in time meets the target: no breach, result in time', async () => {
  const ticket = await openAgedTicket(api, f, 10 * 60_000);
  await api.gql(`mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename } }`, { i: { ticketId: ticket.id, kind: 'REPLY', body: 'on it' } }, f.agent.token);
  await expect.poll(async () => (await withTenant(api.services.db, f.tenant.id, (tx) => tx.slaResult.findFirst({ where: { ticketId: ticket.id } })))?.inTime, { timeout: 10_000 }).toBe(true);
  const row = await ticketRow(api, f, ticket.id);
  expect(row.firstResponseDueAt).toBeNull();
  expect(row.escalationAt).toBeNull();
});

it('the sweep fires a breach whose delayed job was lost while the worker was stopped', async () => {
  const sub = await subscribe(api.wsUrl, f.admin.token, ESCALATIONS);
  const ticket = await openAgedTicket(api, f, 60 * 60_000 - 2_500);
  expect((await sub.next(10_000)).data.escalations.kind).toBe('SLA_WARNING');
  const dueAt = (await ticketRow(api, f, ticket.id)).escalationAt!;
  await running!.close();
  running = null;
  // the outage also lost the delayed job (e.g. Redis restored from an old snapshot)
  const queue = queueFor(api.services.config.REDIS_URL, 'escalation', prefix);
  await queue.remove(escalationJobId(ticket.id, dueAt));
  await new Promise((r) => setTimeout(r, Math.max(0, dueAt.getTime() - Date.now()) + 500));
  expect(await sub.quiet(0)).toBe(true);

  // the sweep runs once, on demand (its every-minute scheduler would race this test)
  running = await runWorkers(api.services, [...jobs, { ...slaSweepJob, schedule: undefined }], { prefix });
  const events = new QueueEvents('escalation', { connection: new Redis(api.services.config.REDIS_URL, { maxRetriesPerRequest: null }) as never, prefix });
  await events.waitUntilReady();
  const job = await enqueue(api.services.config.REDIS_URL, slaSweepJob, {}, { prefix, jobId: `sweep-${prefix}` });
  const result = await job.waitUntilFinished(events, 30_000);
  await events.close();
  const breach = (await sub.next(10_000)).data.escalations;
  expect(breach).toMatchObject({ kind: 'SLA_BREACH', ticketId: ticket.id });
  // (other tickets of the shared test database may be due too: at least ours)
  expect(result.due).toBeGreaterThanOrEqual(1);
  expect(result.fired).toBeGreaterThanOrEqual(1);
  expect((await ticketRow(api, f, ticket.id)).escalationAt).toBeNull();
  expect(await sub.quiet(500)).toBe(true); // fired once, not twice
  await sub.close();
});
