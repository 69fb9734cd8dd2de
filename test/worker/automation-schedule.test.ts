// Scheduled automation rules (trigger SCHEDULE): the automation.schedule job applies them to idle
// working tickets, each rule at most once per ticket, per tenant, with the event rules' actions.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { matchRule } from '@parley/api/automation/match-rule.ts';
import { runScheduledRules } from '@parley/api/automation/run-rules.ts';
import { closeQueues } from '@parley/worker/queues.ts';
import { runAutomationSchedule } from '@parley/worker/jobs/automation-schedule/handler.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

const prefix = `t${randomBytes(4).toString('hex')}`;
let api: TestApi;
let f: TenantFixture;
let g: TenantFixture;
const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];

const SAVE = `mutation($i: SaveAutomationRuleInput!) { saveAutomationRule(input: $i) { __typename
  ... on SaveAutomationRuleSuccess { rule { id name triggers } } ... on Error { code message } ... on ValidationError { field } } }`;

beforeAll(async () => {
  api = await startTestApi({ QUEUE_PREFIX: prefix });
  [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(async () => {
  await closeQueues();
  await api.close();
});

async function save(fx: TenantFixture, input: Record<string, unknown>) {
  const r = await api.gql(SAVE, { i: input }, fx.admin.token);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data.saveAutomationRule;
}
const ticketOf = (fx: TenantFixture, id: string) => withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticket.findUniqueOrThrow({
  where: { id }, include: { articles: true, history: true },
}));
const notes = async (fx: TenantFixture, id: string) => (await ticketOf(fx, id)).articles.filter((a) => a.senderType === 'SYSTEM');
const ageTicket = (fx: TenantFixture, id: string, minutes: number) => withTenant(api.services.db, fx.tenant.id, (tx) =>
  tx.$executeRaw`UPDATE "Ticket" SET "updatedAt" = ${new Date(Date.now() - minutes * 60_000)} WHERE "id" = ${id}::uuid`);

it('a scheduled idleMinutes rule adds a note and sets priority on an idle ticket, once; a fresh ticket is untouched', async () => {
  const highest = (await withTenant(api.services.db, f.tenant.id, (tx) => tx.priority.findMany({ orderBy: { level: 'asc' } }))).at(-1)!;
  const r = await save(f, {
    name: 'Nudge idle', triggers: ['SCHEDULE'], conditions: [{ field: 'idleMinutes', atLeast: 60 }],
    actions: [{ type: 'add_note', body: 'idle for an hour' }, { type: 'set_priority', priorityId: highest.id }],
  });
  expect(r.__typename).toBe('SaveAutomationRuleSuccess');
  expect(r.rule.triggers).toEqual(['SCHEDULE']);
  const idle = raw((await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'old one', body: 'x' })).id);
  const fresh = raw((await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'new one', body: 'x' })).id);
  await ageTicket(f, idle, 120);

  const first = await runAutomationSchedule(api.services);
  expect(first.failed).toBe(0);
  const t = await ticketOf(f, idle);
  expect(t.priorityId).toBe(highest.id);
  expect(await notes(f, idle)).toHaveLength(1);
  expect((await notes(f, idle))[0]).toMatchObject({ channel: 'NOTE', visibleToCustomer: false, bodyText: 'idle for an hour', authorUserId: null });
  expect(t.history.filter((h) => h.action === 'automation_rule_applied').map((h) => h.newValue)).toEqual(['Nudge idle']);
  expect(await notes(f, fresh)).toHaveLength(0);
  expect((await ticketOf(f, fresh)).priorityId).not.toBe(highest.id);

  // twice (and even idle again): the rule fired on this ticket already, nothing more
  await ageTicket(f, idle, 120);
  await runAutomationSchedule(api.services);
  expect(await notes(f, idle)).toHaveLength(1);
  const runs = await withTenant(api.services.db, f.tenant.id, (tx) => tx.automationRuleRun.findMany({ where: { ticketId: idle } }));
  expect(runs).toHaveLength(1);

  // closed tickets are not candidates
  const closed = raw((await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'closed one', body: 'x' })).id);
  await withTenant(api.services.db, f.tenant.id, async (tx) => {
    const state = await tx.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } });
    await tx.ticket.update({ where: { id: closed }, data: { stateId: state.id } });
  });
  await ageTicket(f, closed, 120);
  await runAutomationSchedule(api.services);
  expect(await notes(f, closed)).toHaveLength(0);
});

it('a rule is either scheduled or event-triggered; schedule-only conditions need SCHEDULE', async () => {
  const note = [{ type: 'add_note', body: 'x' }];
  const mixed = await save(f, { name: 'mixed', triggers: ['SCHEDULE', 'TICKET_CREATED'], conditions: [{ field: 'idleMinutes', atLeast: 5 }], actions: note });
  expect(mixed.__typename).toBe('ValidationError');
  expect(mixed.field).toBe('triggers');
  const eventIdle = await save(f, { name: 'event idle', triggers: ['TICKET_CREATED'], conditions: [{ field: 'idleMinutes', atLeast: 5 }], actions: note });
  expect(eventIdle.__typename).toBe('ValidationError');
  const noCond = await save(f, { name: 'no cond', triggers: ['SCHEDULE'], actions: note });
  expect(noCond.__typename).toBe('ValidationError');
  const zero = await save(f, { name: 'zero', triggers: ['SCHEDULE'], conditions: [{ field: 'idleMinutes', atLeast: 0 }], actions: note });
  expect(zero.__typename).toBe('ValidationError');
});

it('tenant B\'s scheduled rule never touches tenant A\'s tickets', async () => {
  await save(g, { name: 'B idle', triggers: ['SCHEDULE'], conditions: [{ field: 'idleMinutes', atLeast: 60 }], actions: [{ type: 'add_note', body: 'tenant B was here' }] });
  const a = raw((await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'A idle', body: 'x' })).id);
  const b = raw((await openTicket(api, g.customer.token, { queueId: g.queue('Support').id, title: 'B idle', body: 'x' })).id);
  await ageTicket(f, a, 120);
  await ageTicket(g, b, 120);
  await runAutomationSchedule(api.services);
  expect((await notes(g, b)).map((n) => n.bodyText)).toEqual(['tenant B was here']);
  const aNotes = await notes(f, a);
  expect(aNotes.some((n) => n.bodyText === 'tenant B was here')).toBe(false);
  // run directly for B: A's idle tickets are invisible (RLS), nothing applied
  await ageTicket(f, a, 120);
  expect((await runScheduledRules({ db: api.services.db }, g.tenant.id)).applied).toBe(0);
  const bRule = await withTenant(api.services.db, g.tenant.id, (tx) => tx.automationRule.findFirstOrThrow({ where: { name: 'B idle' } }));
  const leaked = await api.services.systemDb.automationRuleRun.findMany({ where: { ruleId: bRule.id } });
  expect(leaked.map((r) => r.ticketId)).toEqual([b]);
});

it('idleMinutes and pendingOverdue are pure conditions on the facts and the time', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const base = { queueId: 'q', priorityId: 'p', stateId: 's', stateType: 'OPEN', typeId: null, customerCompanyId: null, title: 't' };
  const facts = (ticket: Partial<typeof base & { updatedAt: Date; pendingUntil: Date | null }>) => ({ ticket: { ...base, ...ticket }, article: null, customFields: {}, now });
  const idle = { triggers: ['SCHEDULE' as const], conditions: [{ field: 'idleMinutes' as const, atLeast: 60 }] };
  expect(matchRule(idle, ['SCHEDULE'], facts({ updatedAt: new Date('2026-01-01T10:00:00Z') }))).toBe(true);
  expect(matchRule(idle, ['SCHEDULE'], facts({ updatedAt: new Date('2026-01-01T11:30:00Z') }))).toBe(false);
  expect(matchRule(idle, ['TICKET_CREATED'], facts({ updatedAt: new Date('2026-01-01T10:00:00Z') }))).toBe(false);
  const overdue = { triggers: ['SCHEDULE' as const], conditions: [{ field: 'pendingOverdue' as const }] };
  expect(matchRule(overdue, ['SCHEDULE'], facts({ stateType: 'PENDING_REMINDER', pendingUntil: new Date('2026-01-01T11:00:00Z') }))).toBe(true);
  expect(matchRule(overdue, ['SCHEDULE'], facts({ stateType: 'PENDING_REMINDER', pendingUntil: new Date('2026-01-01T13:00:00Z') }))).toBe(false);
  expect(matchRule(overdue, ['SCHEDULE'], facts({ stateType: 'OPEN', pendingUntil: new Date('2026-01-01T11:00:00Z') }))).toBe(false);
});

it('ticket-column conditions narrow the candidates: non-matching old tickets do not starve the batch', async () => {
  await save(f, { name: 'Idle urgent', triggers: ['SCHEDULE'], conditions: [{ field: 'idleMinutes', atLeast: 60 }, { field: 'titleContains', value: 'URGENT' }], actions: [{ type: 'add_note', body: 'urgent and idle' }] });
  const plain = raw((await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'plain old', body: 'x' })).id);
  const urgent = raw((await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'urgent old', body: 'x' })).id);
  await ageTicket(f, plain, 300);
  await ageTicket(f, urgent, 120);
  await runScheduledRules({ db: api.services.db }, f.tenant.id, new Date(), 1);
  expect((await notes(f, urgent)).map((n) => n.bodyText)).toContain('urgent and idle');
  expect((await notes(f, plain)).map((n) => n.bodyText)).not.toContain('urgent and idle');
});

it('an any-of list narrows the scheduled candidates too (an OR of ticket columns), and a scheduled rule may have only an any-of list', async () => {
  const r = await save(f, { name: 'Idle legal or press', triggers: ['SCHEDULE'], anyConditions: [{ field: 'titleContains', value: 'LAWYER' }, { field: 'titleContains', value: 'press' }], actions: [{ type: 'add_note', body: 'sensitive and idle' }] });
  expect(r.__typename).toBe('SaveAutomationRuleSuccess');
  const plain = raw((await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'plain older', body: 'x' })).id);
  const press = raw((await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Press inquiry', body: 'x' })).id);
  await ageTicket(f, plain, 400);
  await ageTicket(f, press, 100);
  await runScheduledRules({ db: api.services.db }, f.tenant.id, new Date(), 1);
  expect((await notes(f, press)).map((n) => n.bodyText)).toContain('sensitive and idle');
  expect((await notes(f, plain)).map((n) => n.bodyText)).not.toContain('sensitive and idle');
});
