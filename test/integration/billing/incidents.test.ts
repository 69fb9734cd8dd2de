// Support plans and the incident ledger: consumption inside createTicket (exact under
// concurrency), refunds (not billable, merge, rejected), first-reply consumption, expiry,
// registration grants, append-only ledger, tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { grantIncidents, incidentBalance } from '@parley/api/billing/incident-ledger.ts';
import { createCustomerUser } from '@parley/api/customers/create-customer-user.ts';
import { startTestApi, type TestApi } from '../../support/api.ts';
import { CREATE_TICKET, createTenantFixture, openTicket, type TenantFixture } from '../../support/factories.ts';

let api: TestApi;

beforeAll(async () => { api = await startTestApi(); });
afterAll(() => api.close());

const SAVE_PLAN = `mutation($i: SupportPlanInput!) { saveSupportPlan(input: $i) { __typename ... on SaveSupportPlanSuccess { supportPlan { id mode } } ... on Error { code message } } }`;
const FLAG_QUEUE = `mutation($q: ID!, $r: Boolean!) { setQueueRequiresIncident(queueId: $q, requiresIncident: $r) { __typename ... on SetQueueRequiresIncidentSuccess { requiresIncident } ... on Error { code } } }`;
const GRANT = `mutation($i: GrantIncidentsInput!) { grantIncidents(input: $i) { __typename ... on GrantIncidentsSuccess { ledgerEntry { id delta kind } } ... on Error { code message } } }`;
const MY = `{ myIncidents { balance plan { name mode } entries { kind delta ticketId } } }`;
const HISTORY = `query($n: String!) { ticket(number: $n) { history(first: 50) { edges { node { action newValue } } } } }`;
const historyOf = async (token: string, n: string) => (await api.gql(HISTORY, { n }, token)).data.ticket.history.edges.map((e: any) => e.node);

/** A tenant whose Billing queue requires an incident and whose default plan is prepaid. */
async function prepaidTenant(registrationIncidents = 0) {
  const f = await createTenantFixture(api);
  const plan = await api.gql(SAVE_PLAN, { i: { name: 'Prepaid', mode: 'PREPAID', isDefault: true, registrationIncidents } }, f.admin.token);
  expect(plan.data.saveSupportPlan.__typename).toBe('SaveSupportPlanSuccess');
  expect((await api.gql(FLAG_QUEUE, { q: f.queue('Billing').id, r: true }, f.admin.token)).data.setQueueRequiresIncident.requiresIncident).toBe(true);
  return f;
}

async function grant(f: TenantFixture, customerId: string, incidents: number) {
  const r = await api.gql(GRANT, { i: { customerId, incidents, reason: 'contract' } }, f.admin.token);
  expect(r.data.grantIncidents.__typename).toBe('GrantIncidentsSuccess');
}

const balanceOf = (f: TenantFixture, customerId: string) =>
  withTenant(api.services.db, f.tenant.id, (tx) => incidentBalance(tx, f.tenant.id, customerId));

describe('consumption in createTicket', () => {
  it('20 tickets opened at once with 1 incident left: exactly one goes through and consumes it', async () => {
    const f = await prepaidTenant();
    await grant(f, f.customer.id, 1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api.gql(CREATE_TICKET, {
      input: { queueId: f.queue('Billing').id, title: `race ${i}`, body: 'x' },
    }, f.customer.token)));
    const kinds = results.map((r) => r.data?.createTicket?.__typename ?? JSON.stringify(r.errors));
    expect(kinds.filter((k) => k === 'CreateTicketSuccess')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'NoIncidentLeftError')).toHaveLength(19);
    const my = (await api.gql(MY, {}, f.customer.token)).data.myIncidents;
    expect(my.balance).toBe(0);
    expect(my.entries.filter((e: any) => e.kind === 'CONSUME')).toHaveLength(1);
    expect(my.entries.reduce((s: number, e: any) => s + e.delta, 0)).toBe(0);
    const tickets = await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticket.count({ where: { customerUserId: f.customer.id } }));
    expect(tickets).toBe(1);
  });

  it('tells a customer with no incident clearly, and lets them open tickets in queues that need none', async () => {
    const f = await prepaidTenant();
    const refused = await api.gql(CREATE_TICKET, { input: { queueId: f.queue('Billing').id, title: 'help', body: 'x' } }, f.customer.token);
    expect(refused.data.createTicket).toMatchObject({ __typename: 'NoIncidentLeftError', code: 'NO_INCIDENT_LEFT' });
    expect(refused.data.createTicket.message).toMatch(/no support incident left.*buy an incident pack/i);
    const can = await api.gql('query($q: ID!) { a: canOpenTicketIn(queueId: $q) }', { q: f.queue('Billing').id }, f.customer.token);
    expect(can.data.a).toBe(false);
    await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'free queue', body: 'x' });
    const ids = (await api.gql('{ incidentQueueIds }', {}, f.customer.token)).data.incidentQueueIds;
    expect(ids).toEqual([f.queue('Billing').id]);
  });

  it('an agent opening a ticket for a customer without incidents is not refused; the ticket is marked unpaid', async () => {
    const f = await prepaidTenant();
    const t = await openTicket(api, f.agent.token, { queueId: f.queue('Billing').id, title: 'phone', body: 'x', customerEmail: f.customer.email });
    const h = (await historyOf(f.agent.token, t.number)).map((e: any) => e.action);
    expect(h).toContain('incident_unpaid');
  });

  it('a free plan or no plan charges nothing', async () => {
    const f = await createTenantFixture(api);
    await api.gql(FLAG_QUEUE, { q: f.queue('Billing').id, r: true }, f.admin.token);
    await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'no plan', body: 'x' });
    expect((await api.gql(MY, {}, f.customer.token)).data.myIncidents).toMatchObject({ balance: 0, plan: null, entries: [] });
  });

  it('pay-per-request plans record one charge per ticket', async () => {
    const f = await createTenantFixture(api);
    await api.gql(SAVE_PLAN, { i: { name: 'PPR', mode: 'PER_REQUEST', perRequestCents: 1500, isDefault: true } }, f.admin.token);
    await api.gql(FLAG_QUEUE, { q: f.queue('Billing').id, r: true }, f.admin.token);
    await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'a', body: 'x' });
    await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'b', body: 'x' });
    const my = (await api.gql(MY, {}, f.customer.token)).data.myIncidents;
    expect(my.plan.mode).toBe('PER_REQUEST');
    expect(my.entries.map((e: any) => e.kind)).toEqual(['PER_REQUEST_CHARGE', 'PER_REQUEST_CHARGE']);
  });
});

describe('refunds', () => {
  it('not billable gives the incident back once; a second time is a validation error', async () => {
    const f = await prepaidTenant();
    await grant(f, f.customer.id, 1);
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'x', body: 'x' });
    expect(await balanceOf(f, f.customer.id)).toBe(0);
    const M = `mutation($t: ID!) { markTicketNotBillable(ticketId: $t, reason: "our bug") { __typename ... on Error { code } } }`;
    expect((await api.gql(M, { t: t.id }, f.agent.token)).data.markTicketNotBillable.__typename).toBe('MarkTicketNotBillableSuccess');
    expect(await balanceOf(f, f.customer.id)).toBe(1);
    expect((await api.gql(M, { t: t.id }, f.agent.token)).data.markTicketNotBillable.code).toBe('VALIDATION');
    expect((await api.gql(M, { t: t.id }, f.customer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await balanceOf(f, f.customer.id)).toBe(1);
  });

  it('merging a ticket refunds its incident; rejecting (removed state) too', async () => {
    const f = await prepaidTenant();
    await grant(f, f.customer.id, 3);
    const a = await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'a', body: 'x' });
    const b = await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'b', body: 'x' });
    const c = await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'c', body: 'x' });
    expect(await balanceOf(f, f.customer.id)).toBe(0);
    const merge = await api.gql(`mutation($i: MergeTicketsInput!) { mergeTickets(input: $i) { __typename } }`, { i: { ticketId: a.id, targetId: b.id } }, f.agent.token);
    expect(merge.data.mergeTickets.__typename).toBe('MergeTicketsSuccess');
    expect(await balanceOf(f, f.customer.id)).toBe(1);
    const h = await historyOf(f.agent.token, a.number);
    expect(h).toContainEqual(expect.objectContaining({ action: 'incident_refunded', newValue: 'merged' }));
    const removed = await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticketState.findFirst({ where: { type: 'REMOVED' } }));
    const r = await api.gql(`mutation($i: SetTicketStateInput!) { setTicketState(input: $i) { __typename } }`, { i: { ticketId: c.id, stateId: removed!.id } }, f.agent.token);
    expect(r.data.setTicketState.__typename).toBe('SetTicketStateSuccess');
    expect(await balanceOf(f, f.customer.id)).toBe(2);
  });
});

describe('ledger rules', () => {
  it('consumes on the first agent reply when the tenant chooses so', async () => {
    const f = await prepaidTenant();
    await api.gql(`mutation { updateBillingSettings(input: { consumeOn: ON_FIRST_REPLY }) { __typename } }`, {}, f.admin.token);
    await grant(f, f.customer.id, 2);
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'x', body: 'x' });
    expect(await balanceOf(f, f.customer.id)).toBe(2);
    const reply = `mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename } }`;
    await api.gql(reply, { i: { ticketId: t.id, body: 'first answer' } }, f.agent.token);
    await api.gql(reply, { i: { ticketId: t.id, body: 'second answer' } }, f.agent.token);
    expect(await balanceOf(f, f.customer.id)).toBe(1);
  });

  it('period lots expire: the rest stops counting and an EXPIRE entry settles it on the next consumption', async () => {
    const f = await prepaidTenant();
    const { db } = api.services;
    await withTenant(db, f.tenant.id, async (tx) => {
      await grantIncidents(tx, f.tenant.id, f.customer.id, { kind: 'GRANT_MANUAL', incidents: 5, expiresAt: new Date(Date.now() - 1000), reason: 'old period' });
      await grantIncidents(tx, f.tenant.id, f.customer.id, { kind: 'GRANT_MANUAL', incidents: 1, expiresAt: new Date(Date.now() + 86_400_000), reason: 'this period' });
      await grantIncidents(tx, f.tenant.id, f.customer.id, { kind: 'GRANT_MANUAL', incidents: 1, reason: 'lifetime' });
    });
    expect(await balanceOf(f, f.customer.id)).toBe(2);
    await openTicket(api, f.customer.token, { queueId: f.queue('Billing').id, title: 'x', body: 'x' });
    const my = (await api.gql(MY, {}, f.customer.token)).data.myIncidents;
    expect(my.balance).toBe(1);
    expect(my.entries.find((e: any) => e.kind === 'EXPIRE')?.delta).toBe(-5);
    // the consumption came from the lot that expires first (this period), the lifetime one is left
    expect(my.entries.reduce((s: number, e: any) => s + e.delta, 0)).toBe(1);
    const lots = await withTenant(db, f.tenant.id, (tx) => tx.incidentLedgerEntry.findMany({ where: { customerUserId: f.customer.id } }));
    const consumed = lots.find((e) => e.kind === 'CONSUME')!;
    expect(lots.find((e) => e.id === consumed.lotId)!.reason).toBe('this period');
  });

  it('grants the default plan\'s registration incidents to a new customer', async () => {
    const f = await prepaidTenant(2);
    const c = await createCustomerUser(api.services.db, f.tenant.id, { email: `new-${f.slug}@example.com`, name: 'New' });
    expect(await balanceOf(f, c.id)).toBe(2);
  });

  it('a customer created on first contact (phone ticket for a new address) gets them too, once', async () => {
    const f = await prepaidTenant(2);
    const email = `first-${f.slug}@example.com`;
    const open = (title: string) => api.gql(CREATE_TICKET, { input: { queueId: f.queue('Support').id, title, body: 'x', channel: 'PHONE', customerEmail: email } }, f.agent.token);
    expect((await open('first contact')).data.createTicket.__typename).toBe('CreateTicketSuccess');
    expect((await open('second contact')).data.createTicket.__typename).toBe('CreateTicketSuccess');
    const c = await withTenant(api.services.db, f.tenant.id, (tx) => tx.customerUser.findUniqueOrThrow({ where: { tenantId_email: { tenantId: f.tenant.id, email } } }));
    expect(await balanceOf(f, c.id)).toBe(2);
    const entries = await withTenant(api.services.db, f.tenant.id, (tx) => tx.incidentLedgerEntry.findMany({ where: { customerUserId: c.id } }));
    expect(entries.map((e) => e.kind)).toEqual(['GRANT_REGISTRATION']);
  });

  it('is append-only: UPDATE and DELETE are refused by the database', async () => {
    const f = await prepaidTenant();
    await grant(f, f.customer.id, 1);
    const db = api.services.db;
    await expect(withTenant(db, f.tenant.id, (tx) => tx.$executeRaw`UPDATE "IncidentLedgerEntry" SET "delta" = 100`)).rejects.toThrow(/append-only/);
    await expect(withTenant(db, f.tenant.id, (tx) => tx.$executeRaw`DELETE FROM "IncidentLedgerEntry"`)).rejects.toThrow(/append-only/);
    expect(await balanceOf(f, f.customer.id)).toBe(1);
  });

  it('only admins manage plans, packs and grants', async () => {
    const f = await createTenantFixture(api);
    const r = await api.gql(SAVE_PLAN, { i: { name: 'X', mode: 'FREE' } }, f.agent.token);
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const bad = await api.gql(SAVE_PLAN, { i: { name: 'X', mode: 'PER_REQUEST' } }, f.admin.token);
    expect(bad.data.saveSupportPlan).toMatchObject({ __typename: 'ValidationError' });
  });
});

describe('tenant isolation', () => {
  it('tenant B cannot read, grant, flag or refund anything of tenant A', async () => {
    const [a, b] = await Promise.all([prepaidTenant(), prepaidTenant()]);
    await grant(a, a.customer.id, 2);
    const t = await openTicket(api, a.customer.token, { queueId: a.queue('Billing').id, title: 'x', body: 'x' });
    const read = await api.gql('query($c: ID!) { customerIncidents(customerId: $c) { balance } }', { c: a.customer.id }, b.admin.token);
    expect(read.data.customerIncidents).toBeNull();
    expect((await api.gql(GRANT, { i: { customerId: a.customer.id, incidents: 5, reason: 'x' } }, b.admin.token)).data.grantIncidents.code).toBe('NOT_FOUND');
    expect((await api.gql(FLAG_QUEUE, { q: a.queue('Support').id, r: true }, b.admin.token)).data.setQueueRequiresIncident.code).toBe('NOT_FOUND');
    const refund = await api.gql(`mutation($t: ID!) { markTicketNotBillable(ticketId: $t) { __typename } }`, { t: t.id }, b.agent.token);
    expect(refund.data.markTicketNotBillable.__typename).toBe('NotFoundError');
    const setPlan = await api.gql(`mutation($c: ID!) { setCustomerSupportPlan(customerId: $c) { __typename } }`, { c: a.customer.id }, b.admin.token);
    expect(setPlan.data.setCustomerSupportPlan.__typename).toBe('NotFoundError');
    const lists = JSON.stringify((await api.gql('{ supportPlans { id } incidentPacks { id } incidentQueueIds billingSettings { stripeAccountId } }', {}, b.admin.token)).data);
    expect(lists).not.toContain(a.queue('Billing').id);
    const planA = (await api.gql('{ supportPlans { id } }', {}, a.admin.token)).data.supportPlans[0].id;
    expect(lists).not.toContain(planA);
    expect((await api.gql(MY, {}, b.customer.token)).data.myIncidents.balance).toBe(0);
    expect(await balanceOf(a, a.customer.id)).toBe(1);
  });
});
