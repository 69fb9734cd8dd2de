// Tenant admin of SLAs, automation and webhooks: SLA update/delete recompute running clocks,
// calendars in use cannot be deleted, the call_webhook rule action delivers a signed payload
// through the webhook delivery log, redelivery is idempotent, rule runs are listed — per tenant.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '@parley/api/partners/webhooks.ts';
import { withTenant } from '@parley/db';
import { closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { ticketEventJob } from '@parley/worker/jobs/ticket-event/definition.ts';
import { webhookDeliverJob } from '@parley/worker/jobs/webhook-deliver/definition.ts';
import { slaRecomputeJob } from '@parley/worker/jobs/sla-recompute/definition.ts';
import { slaEscalationJob } from '@parley/worker/jobs/sla-escalation/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { waitUntil } from '../support/mail.ts';
import { openAgedTicket, setUpSla, ticketRow, TWENTY_FOUR_SEVEN } from '../support/sla.ts';

const prefix = `t${randomBytes(4).toString('hex')}`;
const MIN = 60_000;
const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];
let api: TestApi;
let running: RunningWorkers;
let f: TenantFixture;
let g: TenantFixture;
let receiver: Server;
let receiverUrl: string;
type Received = { path: string; body: string; headers: Record<string, string | string[] | undefined> };
const received: Received[] = [];
const failFirst = new Map<string, number>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ path: req.url!, body, headers: req.headers });
      const left = failFirst.get(req.url!) ?? 0;
      if (left > 0) {
        failFirst.set(req.url!, left - 1);
        res.writeHead(503).end('busy');
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  api = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  running = await runWorkers(api.services, [ticketEventJob, webhookDeliverJob, slaRecomputeJob, slaEscalationJob], { prefix });
  [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(async () => {
  await running.close();
  await closeQueues();
  await api.close();
  await new Promise((r) => receiver.close(r));
});

const until = <T>(fn: () => Promise<T | undefined | null | false>, ms = 30_000, what?: string) => waitUntil(fn, ms, what);
async function gql(token: string, query: string, vars: Record<string, unknown> = {}) {
  const r = await api.gql(query, vars, token);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
}
const CREATE_HOOK = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { __typename ... on CreateWebhookSuccess { created { secret webhook { id } } } ... on Error { message } } }`;
const UPDATE_HOOK = `mutation($i: UpdateWebhookInput!) { updateWebhook(input: $i) { __typename ... on UpdateWebhookSuccess { webhook { id url events active } } ... on Error { code message } ... on ValidationError { field } } }`;
const DELETE_HOOK = `mutation($id: ID!) { deleteWebhook(id: $id) { __typename ... on Error { code message } } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { __typename ... on RedeliverWebhookDeliverySuccess { delivery { id status attempts } } ... on Error { code message } } }`;
const HOOK_LOG = `query($id: ID!) { webhook(id: $id) { id url deliveries { id eventKind status attempts lastStatusCode lastError payload } } }`;
const SAVE_RULE = `mutation($i: SaveAutomationRuleInput!) { saveAutomationRule(input: $i) { __typename ... on SaveAutomationRuleSuccess { rule { id } } ... on Error { code message } ... on ValidationError { field } } }`;
const RULE_RUNS = `query($id: ID!) { automationRule(id: $id) { id name runs { ticketId ticketNumber changed createdAt } } }`;
const UPDATE_SLA = `mutation($i: UpdateSlaInput!) { updateSla(input: $i) { __typename ... on UpdateSlaSuccess { sla { id name solutionMinutes actions } } ... on Error { code message } ... on ValidationError { field } } }`;

async function createHook(fx: TenantFixture, path: string, events: string[] = ['TICKET_MERGED']) {
  const r = (await gql(fx.admin.token, CREATE_HOOK, { i: { url: `${receiverUrl}${path}`, events } })).createWebhook;
  expect(r.__typename).toBe('CreateWebhookSuccess');
  return r.created as { secret: string; webhook: { id: string } };
}

it('a rule with call_webhook POSTs a signed payload (ids and facts) through the delivery log; runs are listed on the rule', async () => {
  const path = `/rule-${randomBytes(3).toString('hex')}`;
  failFirst.set(path, 1); // the first attempt fails: the retry succeeds
  // the endpoint only subscribes to merges: what it receives here comes from the rule
  const { secret, webhook } = await createHook(f, path);
  const saved = (await gql(f.admin.token, SAVE_RULE, { i: {
    name: 'Notify ERP', triggers: ['TICKET_CREATED'], conditions: [{ field: 'titleContains', value: 'erp' }],
    actions: [{ type: 'call_webhook', webhookId: webhook.id }],
  } })).saveAutomationRule;
  expect(saved.__typename).toBe('SaveAutomationRuleSuccess');
  const ticket = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'ERP sync broken', body: 'secret content' });
  const other = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'unrelated', body: 'x' });

  const hits = await until(async () => { const h = received.filter((r) => r.path === path); return h.length >= 2 && h; }, 30_000, 'rule webhook delivered');
  const body = JSON.parse(hits[1].body);
  expect(hits[1].body).toBe(hits[0].body);
  expect(verifyWebhookSignature(secret, hits[1].body, String(hits[1].headers[SIGNATURE_HEADER]))).toBe(true);
  expect(verifyWebhookSignature(secret, hits[1].body.replace('ERP', 'erp'), String(hits[1].headers[SIGNATURE_HEADER]))).toBe(false);
  expect(hits[1].headers['parley-event']).toBe('AUTOMATION_RULE');
  expect(body).toMatchObject({ kind: 'AUTOMATION_RULE', rule: { id: saved.rule.id, name: 'Notify ERP' }, triggers: ['TICKET_CREATED'], tenantId: f.tenant.id });
  expect(hits[1].body).not.toContain('secret content');
  const log = await until(async () => {
    const w = (await gql(f.admin.token, HOOK_LOG, { id: webhook.id })).webhook;
    return w.deliveries[0]?.status === 'SUCCEEDED' && w;
  });
  expect(log.deliveries).toHaveLength(1);
  expect(log.deliveries[0]).toMatchObject({ eventKind: 'AUTOMATION_RULE', attempts: 2, lastStatusCode: 200 });

  const runs = (await gql(f.admin.token, RULE_RUNS, { id: saved.rule.id })).automationRule.runs;
  expect(runs.map((r: { ticketId: string }) => r.ticketId)).toEqual([raw(ticket.id)]);
  expect(runs[0]).toMatchObject({ ticketNumber: ticket.number, changed: ['webhook'] });
  expect(raw(other.id)).not.toBe(raw(ticket.id));
  expect(body.ticketId).toBe(raw(ticket.id));

  // a webhook a rule calls cannot be deleted
  expect((await gql(f.admin.token, DELETE_HOOK, { id: webhook.id })).deleteWebhook.__typename).toBe('ConflictError');
  // tenant B sees neither the rule nor its runs, and cannot point its rules at A's webhook
  expect((await gql(g.admin.token, RULE_RUNS, { id: saved.rule.id })).automationRule).toBeNull();
  const foreign = (await gql(g.admin.token, SAVE_RULE, { i: { name: 'steal', triggers: ['TICKET_CREATED'], actions: [{ type: 'call_webhook', webhookId: webhook.id }] } })).saveAutomationRule;
  expect(foreign).toMatchObject({ __typename: 'ValidationError', field: 'actions.0' });
});

it('redelivers a delivery once per request (idempotent while pending), with a fresh signature; other tenants cannot', async () => {
  const path = `/redeliver-${randomBytes(3).toString('hex')}`;
  const { secret, webhook } = await createHook(f, path, ['TICKET_CREATED']);
  const ticket = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'redeliver me', body: 'x' });
  // the hook takes every ticket created in the tenant from now on, so a ticket event of an earlier
  // test that the worker handles late gets a delivery too: follow this ticket's delivery only
  type Delivery = { id: string; status: string; attempts: number; payload: { ticketId?: string } };
  const ours = async () => ((await gql(f.admin.token, HOOK_LOG, { id: webhook.id })).webhook.deliveries as Delivery[])
    .find((d) => d.payload.ticketId === raw(ticket.id));
  const hitsOf = (id: string) => received.filter((r) => r.path === path && r.headers['parley-delivery'] === id);
  const first = await until(async () => { const d = await ours(); return d?.status === 'SUCCEEDED' && d; }, 30_000, 'first delivery');
  expect(hitsOf(first.id)).toHaveLength(1);

  // tenant B: not found, nothing sent
  expect((await gql(g.admin.token, REDELIVER, { id: first.id })).redeliverWebhookDelivery.__typename).toBe('NotFoundError');
  expect((await gql(g.admin.token, HOOK_LOG, { id: webhook.id })).webhook).toBeNull();
  // a non-admin agent of A may not either
  expect((await api.gql(REDELIVER, { id: first.id }, f.agent.token)).errors?.[0]?.message).toBeTruthy();

  // two clicks while the redelivery is still waiting to be sent queue one send: hold the webhook
  // worker so that both land in that window (on a loaded machine the second request could
  // otherwise arrive after the send, and a finished delivery may be redelivered again)
  const hooks = running.workers.find((w) => w.name === 'webhooks')!;
  await hooks.pause();
  const [a, b] = await Promise.all([gql(f.admin.token, REDELIVER, { id: first.id }), gql(f.admin.token, REDELIVER, { id: first.id })]);
  hooks.resume();
  expect(a.redeliverWebhookDelivery.delivery.status).toBe('PENDING');
  expect(b.redeliverWebhookDelivery.delivery.status).toBe('PENDING');
  const again = await until(async () => { const d = await ours(); return d?.status === 'SUCCEEDED' && d.attempts === 2 && d; }, 30_000, 'redelivery');
  expect(again.id).toBe(first.id);
  await new Promise((r) => setTimeout(r, 1500));
  const hits = hitsOf(first.id);
  expect(hits).toHaveLength(2); // two concurrent requests, one send
  expect(hits[1].body).toBe(hits[0].body);
  expect(verifyWebhookSignature(secret, hits[1].body, String(hits[1].headers[SIGNATURE_HEADER]))).toBe(true);

  // a disabled webhook is not redelivered
  expect((await gql(f.admin.token, UPDATE_HOOK, { i: { id: webhook.id, active: false } })).updateWebhook.webhook.active).toBe(false);
  expect((await gql(f.admin.token, REDELIVER, { id: first.id })).redeliverWebhookDelivery.__typename).toBe('ConflictError');
});

it('updates and deletes webhooks (public URLs only unless allowed), per tenant', async () => {
  const { webhook } = await createHook(f, '/upd');
  const upd = (await gql(f.admin.token, UPDATE_HOOK, { i: { id: webhook.id, url: `${receiverUrl}/upd2`, events: ['TICKET_CREATED', 'ARTICLE_ADDED'] } })).updateWebhook;
  expect(upd.webhook).toMatchObject({ url: `${receiverUrl}/upd2`, events: ['TICKET_CREATED', 'ARTICLE_ADDED'], active: true });
  expect((await gql(f.admin.token, UPDATE_HOOK, { i: { id: webhook.id, url: 'ftp://example.com/x' } })).updateWebhook).toMatchObject({ __typename: 'ValidationError', field: 'url' });
  expect((await gql(g.admin.token, UPDATE_HOOK, { i: { id: webhook.id, active: false } })).updateWebhook.__typename).toBe('NotFoundError');
  expect((await gql(g.admin.token, DELETE_HOOK, { id: webhook.id })).deleteWebhook.__typename).toBe('NotFoundError');
  expect((await gql(f.admin.token, DELETE_HOOK, { id: webhook.id })).deleteWebhook.__typename).toBe('DeleteWebhookSuccess');
  expect((await gql(f.admin.token, HOOK_LOG, { id: webhook.id })).webhook).toBeNull();
});

it('changing an SLA\'s target recomputes the running clocks of open tickets; deleting it clears them; per tenant', async () => {
  const queueId = f.queue('Billing').id;
  const slaId = await setUpSla(api, f, { solutionMinutes: 60, firstResponseMinutes: 30 }, { queueId });
  const t = await openAgedTicket(api, f, 10 * MIN, { queueId });
  const first = await until(async () => (await ticketRow(api, f, t.id)).solutionDueAt, 30_000, 'deadline under the SLA');
  expect(first.getTime()).toBe(t.createdAt.getTime() + 60 * MIN);

  // tenant B cannot change or delete it
  expect((await gql(g.admin.token, UPDATE_SLA, { i: { id: slaId, name: 'x', solutionMinutes: 1 } })).updateSla.__typename).toBe('NotFoundError');
  expect((await gql(g.admin.token, `mutation($id: ID!) { deleteSla(id: $id) { __typename } }`, { id: slaId })).deleteSla.__typename).toBe('NotFoundError');
  expect((await gql(f.admin.token, UPDATE_SLA, { i: { id: slaId, name: 'x', solutionMinutes: -5 } })).updateSla).toMatchObject({ __typename: 'ValidationError', field: 'solutionMinutes' });

  // the first-response target is removed, the solution target doubled, notifications switched off
  const upd = (await gql(f.admin.token, UPDATE_SLA, { i: { id: slaId, name: 'Billing SLA', solutionMinutes: 120, actions: { warning: [], breach: [], notify: 'none' } } })).updateSla;
  expect(upd.sla).toMatchObject({ name: 'Billing SLA', solutionMinutes: 120, actions: { notify: 'none' } });
  const moved = await until(async () => { const r = await ticketRow(api, f, t.id); return r.solutionDueAt && r.solutionDueAt.getTime() !== first.getTime() && r; }, 30_000, 'deadline recomputed');
  expect(moved.solutionDueAt!.getTime()).toBe(t.createdAt.getTime() + 120 * MIN);
  expect(moved.firstResponseDueAt).toBeNull();
  const results = await withTenant(api.services.db, f.tenant.id, (tx) => tx.slaResult.findMany({ where: { ticketId: t.id } }));
  expect(results.map((r) => r.target).sort()).toEqual(['SOLUTION']); // the running first-response result was dropped

  // a calendar in use cannot be deleted
  const cal = (await gql(f.admin.token, `{ slas { id calendar { id } } }`)).slas.find((s: { id: string }) => s.id === slaId).calendar;
  expect(cal).toBeNull(); // the update above named no calendar: 24/7 UTC
  const saved = (await gql(f.admin.token, `mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { ... on SaveCalendarSuccess { calendar { id } } } }`, { i: { name: `used ${randomBytes(2).toString('hex')}`, timeZone: 'UTC', week: TWENTY_FOUR_SEVEN } })).saveCalendar.calendar;
  expect((await gql(f.admin.token, UPDATE_SLA, { i: { id: slaId, name: 'Billing SLA', calendarId: saved.id, solutionMinutes: 120 } })).updateSla.__typename).toBe('UpdateSlaSuccess');
  const DEL_CAL = `mutation($id: ID!) { deleteCalendar(id: $id) { __typename ... on Error { message } } }`;
  expect((await gql(g.admin.token, DEL_CAL, { id: saved.id })).deleteCalendar.__typename).toBe('NotFoundError');
  expect((await gql(f.admin.token, DEL_CAL, { id: saved.id })).deleteCalendar).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('Billing SLA') });

  // a ticket solved under the SLA: its decided result must outlive the SLA
  const solved = await openAgedTicket(api, f, 10 * MIN, { queueId });
  expect((await gql(f.agent.token, `mutation($i: CloseTicketInput!) { closeTicket(input: $i) { __typename } }`, { i: { ticketId: solved.id } })).closeTicket.__typename).toBe('CloseTicketSuccess');
  await until(async () => (await withTenant(api.services.db, f.tenant.id, (tx) => tx.slaResult.findFirst({ where: { ticketId: solved.id, target: 'SOLUTION', inTime: true } }))), 30_000, 'solution met');

  // deleting the SLA: no SLA covers the ticket any more, its deadlines go
  expect((await gql(f.admin.token, `mutation($id: ID!) { deleteSla(id: $id) { __typename } }`, { id: slaId })).deleteSla.__typename).toBe('DeleteSlaSuccess');
  const cleared = await until(async () => { const r = await ticketRow(api, f, t.id); return !r.solutionDueAt && r; }, 30_000, 'deadline cleared');
  expect(cleared.escalationAt).toBeNull();
  // the running result of the open ticket went with the SLA; the decided one stays, without the SLA but with its name
  const left = await withTenant(api.services.db, f.tenant.id, (tx) => tx.slaResult.findMany({ where: { ticketId: { in: [t.id, solved.id] } } }));
  expect(left.map((r) => ({ ticketId: r.ticketId, target: r.target, slaId: r.slaId, slaName: r.slaName, inTime: r.inTime }))).toEqual([
    { ticketId: solved.id, target: 'SOLUTION', slaId: null, slaName: 'Billing SLA', inTime: true },
  ]);
  const RESULTS = `query($t: ID!) { slaResults(ticketId: $t) { target sla { id } slaName inTime } }`;
  expect((await gql(f.admin.token, RESULTS, { t: solved.id })).slaResults).toEqual([{ target: 'SOLUTION', sla: null, slaName: 'Billing SLA', inTime: true }]);
  expect((await gql(g.admin.token, RESULTS, { t: solved.id })).slaResults).toEqual([]); // tenant B sees none of them
  expect((await gql(f.admin.token, DEL_CAL, { id: saved.id })).deleteCalendar.__typename).toBe('DeleteCalendarSuccess');
});

it('removing an SLA assignment recomputes; another tenant cannot remove it; calendar errors name their field', async () => {
  const queueId = f.queue('Raw').id;
  await setUpSla(api, f, { solutionMinutes: 90 }, { queueId });
  const assignment = (await gql(f.admin.token, `{ slas { assignments { id queueId } } }`)).slas.flatMap((s: { assignments: { id: string; queueId: string }[] }) => s.assignments).find((a: { queueId: string }) => a.queueId === queueId);
  const t = await openAgedTicket(api, f, MIN, { queueId });
  await until(async () => (await ticketRow(api, f, t.id)).solutionDueAt, 30_000, 'deadline');
  const REMOVE = `mutation($id: ID!) { removeSlaAssignment(id: $id) { __typename } }`;
  expect((await gql(g.admin.token, REMOVE, { id: assignment.id })).removeSlaAssignment.__typename).toBe('NotFoundError');
  expect((await gql(f.admin.token, REMOVE, { id: assignment.id })).removeSlaAssignment.__typename).toBe('RemoveSlaAssignmentSuccess');
  await until(async () => { const r = await ticketRow(api, f, t.id); return !r.solutionDueAt && r; }, 30_000, 'deadline cleared');

  const bad = (await gql(f.admin.token, `mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename ... on ValidationError { field message } } }`,
    { i: { name: 'bad', timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } } })).saveCalendar;
  expect(bad).toMatchObject({ __typename: 'ValidationError', field: 'week.mon' });
  const badTz = (await gql(f.admin.token, `mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename ... on ValidationError { field } } }`,
    { i: { name: 'bad', timeZone: 'Mars/Olympus', week: TWENTY_FOUR_SEVEN } })).saveCalendar;
  expect(badTz).toMatchObject({ __typename: 'ValidationError', field: 'timeZone' });
});

it('an SLA whose escalation notifies nobody still fires its breach (and actions) but writes no notifications', async () => {
  const queueId = f.queue('Billing').id; // its SLA of the test above is deleted
  await setUpSla(api, f, { firstResponseMinutes: 1, actions: { warning: [], breach: [{ type: 'raise_priority' }], notify: 'none' } }, { queueId });
  const quiet = await openAgedTicket(api, f, 5 * MIN, { queueId });
  const result = await until(async () => {
    const r = await withTenant(api.services.db, f.tenant.id, (tx) => tx.slaResult.findFirst({ where: { ticketId: quiet.id, target: 'FIRST_RESPONSE' } }));
    return r?.breachedAt && r;
  }, 30_000, 'breach fired');
  expect(result.inTime).toBe(false);
  expect((await ticketRow(api, f, quiet.id)).priorityId).not.toBe(quiet.priorityId); // the action ran
  const notes = await withTenant(api.services.db, f.tenant.id, (tx) => tx.agentNotification.count({ where: { ticketId: quiet.id } }));
  expect(notes).toBe(0);

  // the default ("assigned": nobody assigned → the queue's agents) does notify
  const loud = await openAgedTicket(api, f, 5 * MIN, { queueId: f.queue('Support').id });
  await setUpSla(api, f, { firstResponseMinutes: 1 }, { queueId: f.queue('Support').id, priorityId: loud.priorityId });
  await until(async () => (await withTenant(api.services.db, f.tenant.id, (tx) => tx.agentNotification.count({ where: { ticketId: loud.id } }))) > 0, 30_000, 'notified');
});
