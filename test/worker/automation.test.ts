// Automation rules: saved by tenant admins (validated), evaluated by the ticket-event job within
// seconds of the event, applied as the system, never looping, idempotent per event, per tenant.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { runAutomationRules } from '@parley/api/automation/run-rules.ts';
import { matchRule } from '@parley/api/automation/match-rule.ts';
import type { TicketEvent } from '@parley/api/events/ticket-event.ts';
import { closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { ticketEventJob } from '@parley/worker/jobs/ticket-event/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { waitUntil } from '../support/mail.ts';

const prefix = `t${randomBytes(4).toString('hex')}`;
let api: TestApi;
let running: RunningWorkers;
let f: TenantFixture;
let g: TenantFixture;
const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];

const SAVE = `mutation($i: SaveAutomationRuleInput!) { saveAutomationRule(input: $i) { __typename
  ... on SaveAutomationRuleSuccess { rule { id name triggers conditions actions } } ... on Error { code message } ... on ValidationError { field } } }`;
const LIST = `{ automationRules { id name } }`;
const DELETE = `mutation($id: ID!) { deleteAutomationRule(id: $id) { __typename ... on Error { code } } }`;

beforeAll(async () => {
  api = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'true' });
  running = await runWorkers(api.services, [ticketEventJob], { prefix });
  [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(async () => {
  await running.close();
  await closeQueues();
  await api.close();
});

const until = <T>(fn: () => Promise<T | undefined | null | false>, ms = 20_000) => waitUntil(fn, ms);

const ticketOf = (fx: TenantFixture, id: string) => withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticket.findUniqueOrThrow({
  where: { id }, include: { articles: { orderBy: { createdAt: 'asc' } }, history: { orderBy: { createdAt: 'asc' } } },
}));
const runsOf = (fx: TenantFixture, ticketId: string) => withTenant(api.services.db, fx.tenant.id, (tx) => tx.automationRuleRun.findMany({ where: { ticketId } }));
const priorities = (fx: TenantFixture) => withTenant(api.services.db, fx.tenant.id, (tx) => tx.priority.findMany({ orderBy: { level: 'asc' } }));
async function save(fx: TenantFixture, input: Record<string, unknown>, token = fx.admin.token) {
  const r = await api.gql(SAVE, { i: input }, token);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data.saveAutomationRule;
}
/** Waits until the worker has handled every event of the ticket so far (queue drained for it). */
const settle = () => new Promise((r) => setTimeout(r, 1500));

it('a rule on ticket created with a title condition sets priority and queue and adds an internal note; other tickets stay untouched', async () => {
  const highest = (await priorities(f)).at(-1)!;
  const saved = await save(f, {
    name: 'Invoices to billing', triggers: ['TICKET_CREATED'],
    conditions: [{ field: 'titleContains', value: 'INVOICE' }],
    actions: [{ type: 'set_priority', priorityId: highest.id }, { type: 'set_queue', queueId: f.queue('Billing').id }, { type: 'add_note', body: 'Routed to billing by automation' }],
  });
  expect(saved.__typename).toBe('SaveAutomationRuleSuccess');
  const other = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Printer on fire', body: 'x' });
  const ticket = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Wrong invoice amount', body: 'x' });
  const started = Date.now();
  const done = await until(async () => (await runsOf(f, raw(ticket.id))).length > 0);
  expect(done).toBe(true);
  expect(Date.now() - started).toBeLessThan(10_000);
  const t = await ticketOf(f, raw(ticket.id));
  expect(t.priorityId).toBe(highest.id);
  expect(t.queueId).toBe(f.queue('Billing').id);
  const notes = t.articles.filter((a) => a.senderType === 'SYSTEM');
  expect(notes).toHaveLength(1);
  expect(notes[0]).toMatchObject({ channel: 'NOTE', visibleToCustomer: false, bodyText: 'Routed to billing by automation', authorUserId: null });
  const byRule = t.history.filter((h) => ['priority_changed', 'queue_changed', 'automation_rule_applied'].includes(h.action));
  expect(byRule.map((h) => h.action).sort()).toEqual(['automation_rule_applied', 'priority_changed', 'queue_changed']);
  expect(byRule.every((h) => h.actorUserId === null && h.actorCustomerUserId === null)).toBe(true);
  expect(byRule.find((h) => h.action === 'automation_rule_applied')!.newValue).toBe('Invoices to billing');

  await settle();
  const o = await ticketOf(f, raw(other.id));
  expect(o.queueId).toBe(f.queue('Support').id);
  expect(o.history.some((h) => h.action === 'priority_changed' || h.action === 'queue_changed')).toBe(false);
  expect(o.articles.filter((a) => a.senderType === 'SYSTEM')).toHaveLength(0);
  expect(await runsOf(f, raw(other.id))).toHaveLength(0);
  expect(o.history.some((h) => h.action === 'automation_rule_applied')).toBe(false);
});

it('changes made by rules never trigger rules: a note-on-every-article rule adds exactly one note', async () => {
  await save(f, { name: 'Echo', triggers: ['ARTICLE_ADDED', 'STATE_CHANGED'], conditions: [{ field: 'titleContains', value: 'echo' }], actions: [{ type: 'add_note', body: 'echo' }] });
  const closed = (await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } })));
  await save(f, { name: 'Close echoes', position: 1, triggers: ['ARTICLE_ADDED'], conditions: [{ field: 'titleContains', value: 'echo' }, { field: 'articleSenderType', equals: 'AGENT' }], actions: [{ type: 'set_state', stateId: closed.id }] });
  const ticket = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'echo chamber', body: 'x' });
  const r = await api.gql(`mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename } }`, { i: { ticketId: ticket.id, kind: 'NOTE', body: 'agent note' } }, f.agent.token);
  expect(r.data.addArticle.__typename).toBe('AddArticleSuccess');
  await until(async () => (await runsOf(f, raw(ticket.id))).length >= 2);
  await settle();
  await settle();
  const t = await ticketOf(f, raw(ticket.id));
  // one note for the agent's article (Echo), the state change by "Close echoes" did not re-trigger Echo
  expect(t.articles.filter((a) => a.senderType === 'SYSTEM')).toHaveLength(1);
  expect(t.history.filter((h) => h.action === 'automation_rule_applied').map((h) => h.newValue).sort()).toEqual(['Close echoes', 'Echo']);
  expect(await runsOf(f, raw(ticket.id))).toHaveLength(2);
});

it('a templated mail to the customer goes through the outbox (article + outgoing mail), once', async () => {
  const r = await save(f, {
    name: 'Acknowledge refunds', triggers: ['TICKET_CREATED'], conditions: [{ field: 'titleContains', value: 'refund' }],
    actions: [{ type: 'send_customer_mail', subject: 'We got your refund request {{ticket.number}}', body: 'Hello {{customer.name}}, about "{{ticket.title}}" in {{queue.name}}.' }],
  });
  expect(r.__typename).toBe('SaveAutomationRuleSuccess');
  const bad = await save(f, { name: 'bad template', triggers: ['TICKET_CREATED'], actions: [{ type: 'send_customer_mail', subject: 'x {{secret.token}}', body: 'y' }] });
  expect(bad.__typename).toBe('ValidationError');
  const ticket = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Refund please', body: 'x' });
  await until(async () => (await runsOf(f, raw(ticket.id))).length > 0);
  const t = await ticketOf(f, raw(ticket.id));
  const mails = await withTenant(api.services.db, f.tenant.id, (tx) => tx.outgoingMail.findMany({ where: { ticketId: t.id } }));
  expect(mails).toHaveLength(1);
  expect(mails[0]).toMatchObject({ kind: 'AUTO_RESPONSE', recipients: [f.customer.email] });
  expect(mails[0].subject).toContain(`We got your refund request ${t.number}`);
  const article = t.articles.find((a) => a.id === mails[0].articleId)!;
  expect(article).toMatchObject({ channel: 'EMAIL', senderType: 'SYSTEM', visibleToCustomer: true, messageId: mails[0].messageId });
  expect(article.bodyText).toBe('Hello Carol Customer, about "Refund please" in Support.');
  expect(Buffer.from(mails[0].raw).toString('utf8')).toMatch(/Auto-Submitted: auto-replied/i);
});

it('is idempotent on a retried event: the same event id applies nothing twice', async () => {
  const ticket = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'invoice again', body: 'x' });
  await until(async () => (await runsOf(f, raw(ticket.id))).length > 0);
  const [run] = await runsOf(f, raw(ticket.id));
  const t0 = await ticketOf(f, raw(ticket.id));
  const event: TicketEvent = { id: run.eventId, kind: 'TICKET_CREATED', tenantId: f.tenant.id, ticketId: t0.id, queueId: f.queue('Support').id, customerUserId: t0.customerUserId, customerCompanyId: t0.customerCompanyId, at: new Date().toISOString() };
  expect((await runAutomationRules({ db: api.services.db }, event)).applied).toEqual([]);
  // a rule-caused event is skipped outright; a new event id would apply again
  expect((await runAutomationRules({ db: api.services.db }, { ...event, id: randomUUID(), origin: 'automation' })).applied).toEqual([]);
  const t1 = await ticketOf(f, raw(ticket.id));
  expect(t1.articles.length).toBe(t0.articles.length);
  expect(t1.history.length).toBe(t0.history.length);
});

it('invalid conditions or actions give ValidationError; only admins save rules', async () => {
  const bad = [
    { conditions: [{ field: 'nope', equals: 'x' }], actions: [{ type: 'add_note', body: 'x' }] },
    { conditions: [{ field: 'queueId', equals: 'not-a-uuid' }], actions: [{ type: 'add_note', body: 'x' }] },
    { conditions: [], actions: [] },
    { conditions: [], actions: [{ type: 'call_webhook', url: 'http://x' }] },
    { conditions: [{ field: 'customField', key: 'no-such-field', equals: 'x' }], actions: [{ type: 'add_note', body: 'x' }] },
    { conditions: [], actions: [{ type: 'set_queue', queueId: g.queue('Support').id }] }, // another tenant's queue
  ];
  for (const [i, b] of bad.entries()) {
    const r = await save(f, { name: `bad ${i}`, triggers: ['TICKET_CREATED'], ...b });
    expect(r.__typename, JSON.stringify(r)).toBe('ValidationError');
  }
  expect((await api.gql(SAVE, { i: { name: 'x', triggers: ['TICKET_CREATED'], actions: [{ type: 'add_note', body: 'x' }] } }, f.agent.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await api.gql(LIST, {}, f.agent.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const names = (await api.gql(LIST, {}, f.admin.token)).data.automationRules.map((r: { name: string }) => r.name);
  expect(names.some((n: string) => n.startsWith('bad '))).toBe(false);
});

it('tenant B cannot list, edit or delete tenant A\'s rules, and B\'s rules never touch A\'s tickets', async () => {
  const mine = (await api.gql(LIST, {}, f.admin.token)).data.automationRules;
  expect(mine.length).toBeGreaterThan(0);
  const ruleA = mine[0];
  expect((await api.gql(LIST, {}, g.admin.token)).data.automationRules).toEqual([]);
  const edit = await save(g, { id: ruleA.id, name: 'hijacked', triggers: ['TICKET_CREATED'], actions: [{ type: 'add_note', body: 'pwned' }] });
  expect(edit.__typename).toBe('NotFoundError');
  expect((await api.gql(DELETE, { id: ruleA.id }, g.admin.token)).data.deleteAutomationRule.__typename).toBe('NotFoundError');
  expect((await api.gql(LIST, {}, f.admin.token)).data.automationRules.map((r: { id: string }) => r.id)).toContain(ruleA.id);

  // B: a catch-all rule on every new ticket; A's new ticket is never touched by it
  await save(g, { name: 'B catch-all', triggers: ['TICKET_CREATED'], actions: [{ type: 'add_note', body: 'tenant B was here' }] });
  const ticketB = await openTicket(api, g.customer.token, { queueId: g.queue('Support').id, title: 'B ticket', body: 'x' });
  const ticketA = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'A plain ticket', body: 'x' });
  await until(async () => (await runsOf(g, raw(ticketB.id))).length > 0);
  await settle();
  const a = await ticketOf(f, raw(ticketA.id));
  expect(a.articles.some((x) => x.bodyText === 'tenant B was here')).toBe(false);
  expect(a.history.some((h) => h.action === 'automation_rule_applied')).toBe(false);
  // even handed A's ticket in a B event, B's rules find no ticket (RLS): nothing applied
  const forged: TicketEvent = { id: randomUUID(), kind: 'TICKET_CREATED', tenantId: g.tenant.id, ticketId: a.id, queueId: a.queueId, customerUserId: null, customerCompanyId: null, at: new Date().toISOString() };
  expect((await runAutomationRules({ db: api.services.db }, forged)).applied).toEqual([]);

  // A's admin deletes its own rule
  expect((await api.gql(DELETE, { id: ruleA.id }, f.admin.token)).data.deleteAutomationRule.__typename).toBe('DeleteAutomationRuleSuccess');
});

it('matchRule is pure: triggers and every condition must hold', () => {
  const facts = { ticket: { queueId: 'q', priorityId: 'p', stateId: 's', stateType: 'NEW', typeId: null, customerCompanyId: 'c', title: 'Big Invoice' }, article: { channel: 'EMAIL', senderType: 'CUSTOMER' }, customFields: { tier: 'gold', tags: ['a', 'b'] } };
  const q = '00000000-0000-4000-8000-000000000000';
  expect(matchRule({ triggers: ['TICKET_CREATED'], conditions: [{ field: 'titleContains', value: 'invoice' }, { field: 'customField', key: 'tier', equals: 'gold' }, { field: 'customField', key: 'tags', equals: 'b' }, { field: 'articleChannel', equals: 'EMAIL' }] }, ['TICKET_CREATED'], facts)).toBe(true);
  expect(matchRule({ triggers: ['ARTICLE_ADDED'], conditions: [] }, ['TICKET_CREATED'], facts)).toBe(false);
  expect(matchRule({ triggers: ['TICKET_CREATED'], conditions: [{ field: 'queueId', equals: q }] }, ['TICKET_CREATED'], facts)).toBe(false);
  expect(matchRule({ triggers: ['TICKET_CREATED'], conditions: [{ field: 'articleSenderType', equals: 'AGENT' }] }, ['TICKET_CREATED'], { ...facts, article: null })).toBe(false);
});

it('matchRule: all of conditions and at least one of anyConditions (an empty any-list asks nothing)', () => {
  const facts = { ticket: { queueId: 'q', priorityId: 'p', stateId: 's', stateType: 'NEW', typeId: null, customerCompanyId: 'c', title: 'Refund for order 7' }, article: { channel: 'EMAIL', senderType: 'CUSTOMER' }, customFields: { tier: 'gold' } };
  const rule = (any: object[], all: object[] = [{ field: 'articleChannel', equals: 'EMAIL' }]) => ({ triggers: ['TICKET_CREATED' as const], conditions: all as never, anyConditions: any as never });
  expect(matchRule(rule([{ field: 'titleContains', value: 'invoice' }, { field: 'titleContains', value: 'refund' }]), ['TICKET_CREATED'], facts)).toBe(true);
  expect(matchRule(rule([{ field: 'titleContains', value: 'invoice' }, { field: 'customField', key: 'tier', equals: 'silver' }]), ['TICKET_CREATED'], facts)).toBe(false);
  expect(matchRule(rule([]), ['TICKET_CREATED'], facts)).toBe(true);
  // the all-list still decides: one any-condition holding is not enough
  expect(matchRule(rule([{ field: 'titleContains', value: 'refund' }], [{ field: 'articleChannel', equals: 'PHONE' }]), ['TICKET_CREATED'], facts)).toBe(false);
});

it('a rule with an any-of list applies when one of them holds, not when none does; saved and listed with both lists', async () => {
  const highest = (await priorities(f)).at(-1)!;
  const saved = await save(f, {
    name: 'Money matters', triggers: ['TICKET_CREATED'],
    conditions: [{ field: 'queueId', equals: f.queue('Support').id }],
    anyConditions: [{ field: 'titleContains', value: 'chargeback' }, { field: 'titleContains', value: 'overcharged' }],
    actions: [{ type: 'set_priority', priorityId: highest.id }],
  });
  expect(saved.__typename).toBe('SaveAutomationRuleSuccess');
  const listed = (await api.gql(`{ automationRules { name anyConditions } }`, {}, f.admin.token)).data.automationRules.find((r: { name: string }) => r.name === 'Money matters');
  expect(listed.anyConditions).toEqual([{ field: 'titleContains', value: 'chargeback' }, { field: 'titleContains', value: 'overcharged' }]);
  const hit = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'I was OVERCHARGED', body: 'x' });
  const missQueue = await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'chargeback filed', body: 'x' });
  const missAny = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'password reset', body: 'x' });
  await until(async () => (await runsOf(f, raw(hit.id))).length > 0);
  expect((await ticketOf(f, raw(hit.id))).priorityId).toBe(highest.id);
  await settle();
  for (const miss of [missQueue, missAny]) {
    expect((await ticketOf(f, raw(miss.id))).priorityId).not.toBe(highest.id);
    expect((await runsOf(f, raw(miss.id))).some((r) => r.ruleId === saved.rule.id)).toBe(false);
  }
  // any-of conditions are validated like the others, with their own field path
  const bad = await save(f, { name: 'bad any', triggers: ['TICKET_CREATED'], anyConditions: [{ field: 'titleContains', value: 'x' }, { field: 'queueId', equals: 'nope' }], actions: [{ type: 'add_note', body: 'x' }] });
  expect(bad).toMatchObject({ __typename: 'ValidationError' });
  expect(bad.field).toMatch(/^anyConditions\.1/);
  const idleOnEvent = await save(f, { name: 'bad idle', triggers: ['TICKET_CREATED'], anyConditions: [{ field: 'idleMinutes', atLeast: 5 }], actions: [{ type: 'add_note', body: 'x' }] });
  expect(idleOnEvent.field).toBe('anyConditions.0');
  const foreign = await save(f, { name: 'bad foreign', triggers: ['TICKET_CREATED'], anyConditions: [{ field: 'customField', key: 'no-such-field', equals: 'x' }], actions: [{ type: 'add_note', body: 'x' }] });
  expect(foreign).toMatchObject({ __typename: 'ValidationError', field: 'anyConditions.0' });
  await api.gql(DELETE, { id: saved.rule.id }, f.admin.token);
});
