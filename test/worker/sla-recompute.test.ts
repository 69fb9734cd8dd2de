// A change of SLA configuration (assignment, calendar) recomputes the deadlines of the tenant's
// open tickets through the worker, in batches, and never touches another tenant's tickets.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { slaRecomputeJob } from '@parley/worker/jobs/sla-recompute/definition.ts';
import { recomputeTenantSlaBatch } from '@parley/worker/jobs/sla-recompute/handler.ts';
import { slaEscalationJob } from '@parley/worker/jobs/sla-escalation/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { openAgedTicket, setUpSla, ticketRow, TWENTY_FOUR_SEVEN } from '../support/sla.ts';
import { waitUntil } from '../support/mail.ts';

const prefix = `t${randomBytes(4).toString('hex')}`;
const MIN = 60_000;
let api: TestApi;
let running: RunningWorkers;
let f: TenantFixture;
let g: TenantFixture;

beforeAll(async () => {
  // no event fan-out: only the recompute job can give these tickets deadlines
  api = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'false' });
  running = await runWorkers(api.services, [slaRecomputeJob, slaEscalationJob], { prefix });
  [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(async () => {
  await running.close();
  await closeQueues();
  await api.close();
});

it('assigning an SLA gives the open tickets it now covers their deadlines; other tenants are untouched', async () => {
  const tickets = await Promise.all([10, 20, 30].map((age) => openAgedTicket(api, f, age * MIN, { queueId: f.queue('Billing').id })));
  const theirs = await openAgedTicket(api, g, 10 * MIN, { queueId: g.queue('Billing').id });
  for (const t of tickets) expect((await ticketRow(api, f, t.id)).firstResponseDueAt).toBeNull();

  await setUpSla(api, f, { firstResponseMinutes: 60 }, { queueId: f.queue('Billing').id });
  for (const t of tickets) {
    const row = await waitUntil(async () => { const r = await ticketRow(api, f, t.id); return r.firstResponseDueAt ? r : null; }, 30_000, 'deadline recomputed');
    expect(row.firstResponseDueAt!.getTime()).toBe(t.createdAt.getTime() + 60 * MIN);
  }
  expect((await ticketRow(api, g, theirs.id)).firstResponseDueAt).toBeNull();
});

it('changing the SLA\'s calendar moves the deadlines of open tickets', async () => {
  const saveCal = `mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename ... on SaveCalendarSuccess { calendar { id } } } }`;
  const cal = (await api.gql(saveCal, { i: { name: `cal ${randomBytes(2).toString('hex')}`, timeZone: 'UTC', week: TWENTY_FOUR_SEVEN } }, g.admin.token)).data.saveCalendar.calendar.id;
  const sla = await api.gql(`mutation($i: CreateSlaInput!) { createSla(input: $i) { ... on CreateSlaSuccess { sla { id } } } }`, { i: { name: 'cal-bound', calendarId: cal, firstResponseMinutes: 600 } }, g.admin.token);
  await api.gql(`mutation($i: AssignSlaInput!) { assignSla(input: $i) { __typename } }`, { i: { slaId: sla.data.createSla.sla.id, queueId: g.queue('Support').id } }, g.admin.token);
  const t = await openAgedTicket(api, g, 5 * MIN, { queueId: g.queue('Support').id });
  const first = await waitUntil(async () => (await ticketRow(api, g, t.id)).firstResponseDueAt, 30_000, 'deadline under 24/7');
  expect(first.getTime()).toBe(t.createdAt.getTime() + 600 * MIN);

  // The same calendar becomes "closed on every day but one hour": the deadline moves far out.
  const narrow = Object.fromEntries(Object.keys(TWENTY_FOUR_SEVEN).map((d) => [d, [{ start: '03:00', end: '04:00' }]]));
  expect((await api.gql(saveCal, { i: { id: cal, name: 'narrowed', timeZone: 'UTC', week: narrow } }, g.admin.token)).data.saveCalendar.__typename).toBe('SaveCalendarSuccess');
  const moved = await waitUntil(async () => { const d = (await ticketRow(api, g, t.id)).firstResponseDueAt; return d && d.getTime() !== first.getTime() ? d : null; }, 30_000, 'deadline moved');
  expect(moved.getTime() - t.createdAt.getTime()).toBeGreaterThan(7 * 24 * 60 * MIN); // 10 business hours at 1 h a day
});

it('walks a tenant in batches: each batch enqueues the next, and a batch run twice changes nothing', async () => {
  const res1 = await recomputeTenantSlaBatch(api.services, { tenantId: f.tenant.id, runId: `manual-${randomBytes(3).toString('hex')}`, afterId: null }, { batch: 2 });
  expect(res1).toMatchObject({ recomputed: 2 });
  expect(res1.next).toBeTruthy();
  const again = await recomputeTenantSlaBatch(api.services, { tenantId: f.tenant.id, runId: 'manual-again', afterId: null }, { batch: 2 });
  expect(again).toEqual(res1);
  const all = await recomputeTenantSlaBatch(api.services, { tenantId: f.tenant.id, runId: 'manual-all', afterId: null }, { batch: 1000 });
  expect(all.next).toBeNull();
  expect(all.recomputed).toBeGreaterThanOrEqual(3);
});
