// Stripe through the real `stripe` library against the local fake: the tenant connects its own
// account, a customer buys an incident pack through Checkout on it (application fee), the
// signed webhook grants the incidents exactly once whatever the duplicates and the order; the
// provider's platform plans through subscription Checkout; billing disabled without a key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { startFakeStripe, type FakeStripe } from '../../support/fake-stripe/index.ts';
import { startTestApi, type TestApi } from '../../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../../support/factories.ts';

const WEBHOOK_SECRET = 'whsec_parley_billing_test';
let fake: FakeStripe;
let api: TestApi;
let teamPrice: string;
let businessPrice: string;

beforeAll(async () => {
  fake = await startFakeStripe();
  const product = await fake.stripe.products.create({ name: 'Parley Team' });
  teamPrice = (await fake.stripe.prices.create({ product: product.id, unit_amount: 4900, currency: 'eur', recurring: { interval: 'month' } })).id;
  const business = await fake.stripe.products.create({ name: 'Parley Business' });
  businessPrice = (await fake.stripe.prices.create({ product: business.id, unit_amount: 19900, currency: 'eur', recurring: { interval: 'month' } })).id;
  api = await startTestApi({
    STRIPE_SECRET_KEY: fake.secretKey, STRIPE_WEBHOOK_SECRET: `whsec_other,${WEBHOOK_SECRET}`,
    STRIPE_API_HOST: fake.host, STRIPE_API_PORT: String(fake.port), STRIPE_API_PROTOCOL: 'http',
    STRIPE_APPLICATION_FEE_PERCENT: '10', STRIPE_PLAN_PRICES: JSON.stringify({ team: teamPrice, business: businessPrice }),
  });
  fake.webhooks.addEndpoint(api.url.replace('/graphql', '/stripe/webhook'), { secret: WEBHOOK_SECRET, scope: 'all' });
});
afterAll(async () => {
  await api?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.webhooks.setDuplicates(1);
  fake.webhooks.resume();
});

const CONNECT = `mutation { connectStripeAccount { __typename ... on ConnectStripeAccountSuccess { onboarding { id url } } ... on Error { code message } } }`;
const SAVE_PACK = `mutation($i: IncidentPackInput!) { saveIncidentPack(input: $i) { ... on SaveIncidentPackSuccess { incidentPack { id } } } }`;
const BUY = `mutation($p: ID!) { buyIncidentPack(packId: $p) { __typename ... on BuyIncidentPackSuccess { checkout { id url } } ... on Error { code message } } }`;
const CREATE_AGENT = `mutation($i: CreateAgentInput!) { createAgent(input: $i) { __typename ... on PlanLimitError { code plan resource limit message } ... on Error { code message } } }`;
const UPDATE_AGENT = `mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { __typename ... on PlanLimitError { code limit } ... on Error { code message } } }`;
const MY = `{ myIncidents { balance entries { kind delta amountCents expiresAt } } }`;

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function connectedTenant() {
  const f = await createTenantFixture(api);
  const r = await api.gql(CONNECT, {}, f.admin.token);
  expect(r.data.connectStripeAccount.__typename).toBe('ConnectStripeAccountSuccess');
  const accountId = r.data.connectStripeAccount.onboarding.id as string;
  expect(r.data.connectStripeAccount.onboarding.url).toContain(accountId);
  fake.onboard(accountId);
  const settings = await until(() => api.gql('{ billingSettings { stripeChargesEnabled stripeAccountId } }', {}, f.admin.token), (s) => s.data.billingSettings.stripeChargesEnabled);
  expect(settings.data.billingSettings).toEqual({ stripeChargesEnabled: true, stripeAccountId: accountId });
  const pack = await api.gql(SAVE_PACK, { i: { name: '10 incidents', incidents: 10, priceCents: 25_000 } }, f.admin.token);
  return { f, accountId, packId: pack.data.saveIncidentPack.incidentPack.id as string };
}

const balance = async (f: TenantFixture) => (await api.gql(MY, {}, f.customer.token)).data.myIncidents;

describe('incident packs through Checkout on the tenant\'s connected account', () => {
  it('a paid Checkout grants the pack once, with the application fee on the payment', async () => {
    const { f, accountId, packId } = await connectedTenant();
    const buy = await api.gql(BUY, { p: packId }, f.customer.token);
    expect(buy.data.buyIncidentPack.__typename).toBe('BuyIncidentPackSuccess');
    const sessionId = buy.data.buyIncidentPack.checkout.id;
    expect(await balance(f)).toMatchObject({ balance: 0 });
    fake.webhooks.setDuplicates(3);
    fake.complete(sessionId, { account: accountId });
    const my = await until(() => balance(f), (m) => m.balance > 0);
    await fake.webhooks.idle();
    expect((await balance(f)).balance).toBe(10);
    expect(my.entries).toEqual([expect.objectContaining({ kind: 'GRANT_PURCHASE', delta: 10, amountCents: 25_000, expiresAt: null })]);
    const session = await fake.stripe.checkout.sessions.retrieve(sessionId, {}, { stripeAccount: accountId });
    const pi = await fake.stripe.paymentIntents.retrieve(session.payment_intent as string, {}, { stripeAccount: accountId });
    expect(pi.application_fee_amount).toBe(2_500);
    // a replay of the same event (Stripe's manual resend) changes nothing
    const [event] = fake.events({ type: 'checkout.session.completed', account: accountId });
    fake.webhooks.resend(event.id as string);
    await fake.webhooks.idle();
    expect((await balance(f)).balance).toBe(10);
  });

  it('out-of-order delivery converges: events flushed in reverse still grant exactly once', async () => {
    const { f, accountId, packId } = await connectedTenant();
    const first = (await api.gql(BUY, { p: packId }, f.customer.token)).data.buyIncidentPack.checkout.id;
    const second = (await api.gql(BUY, { p: packId }, f.customer.token)).data.buyIncidentPack.checkout.id;
    fake.webhooks.pause();
    fake.complete(first, { account: accountId });
    fake.complete(second, { account: accountId });
    fake.webhooks.setDuplicates(2);
    await fake.webhooks.flush('reverse');
    fake.webhooks.resume();
    await fake.webhooks.idle();
    const my = await until(() => balance(f), (m) => m.balance === 20);
    expect(my.balance).toBe(20);
    expect(my.entries).toHaveLength(2);
  });

  it('a period pack is a subscription: each paid period grants a fresh lot that expires at the period end', async () => {
    const { f, accountId } = await connectedTenant();
    const pack = await api.gql(SAVE_PACK, { i: { name: 'Monthly 5', incidents: 5, priceCents: 9_900, kind: 'PERIOD', periodDays: 30 } }, f.admin.token);
    const buy = await api.gql(BUY, { p: pack.data.saveIncidentPack.incidentPack.id }, f.customer.token);
    const sessionId = buy.data.buyIncidentPack.checkout.id;
    fake.complete(sessionId, { account: accountId });
    const my = await until(() => balance(f), (m) => m.balance === 5);
    const firstExpiry = new Date(my.entries[0].expiresAt).getTime();
    expect(firstExpiry).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const session = await fake.stripe.checkout.sessions.retrieve(sessionId, {}, { stripeAccount: accountId });
    const sub = await fake.stripe.subscriptions.retrieve(session.subscription as string, {}, { stripeAccount: accountId });
    expect(sub.application_fee_percent).toBe(10);
    fake.renew(sub.id, { account: accountId });
    const renewed = await until(() => balance(f), (m) => m.entries.length === 2);
    expect(renewed.entries.map((e: any) => e.kind)).toEqual(['GRANT_PURCHASE', 'GRANT_PURCHASE']);
    expect(new Date(renewed.entries[0].expiresAt).getTime()).toBeGreaterThan(firstExpiry - 1);
    await fake.webhooks.idle();
    expect((await balance(f)).entries).toHaveLength(2);
  });

  it('a declined payment grants nothing; a forged or unsigned webhook is refused with 400', async () => {
    const { f, accountId, packId } = await connectedTenant();
    const sessionId = (await api.gql(BUY, { p: packId }, f.customer.token)).data.buyIncidentPack.checkout.id;
    fake.complete(sessionId, { account: accountId, succeed: false });
    await fake.webhooks.idle();
    expect((await balance(f)).balance).toBe(0);
    const url = api.url.replace('/graphql', '/stripe/webhook');
    const body = JSON.stringify({ id: 'evt_forged', type: 'checkout.session.completed', account: accountId, data: { object: { id: sessionId } } });
    expect((await fetch(url, { method: 'POST', body, headers: { 'stripe-signature': 't=1,v1=00' } })).status).toBe(400);
    expect((await fetch(url, { method: 'POST', body })).status).toBe(400);
    expect((await balance(f)).balance).toBe(0);
  });

  it('a handler that fails answers 500 and leaves the event unprocessed, so Stripe\'s retry runs it again', async () => {
    const { f, accountId, packId } = await connectedTenant();
    const session = await fake.stripe.checkout.sessions.create({
      mode: 'payment', line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'x' } } }],
      metadata: { kind: 'incident_pack', tenantId: f.tenant.id, customerUserId: '00000000-0000-7000-8000-000000000000', packId },
      success_url: 'https://x.test/ok',
    }, { stripeAccount: accountId });
    fake.complete(session.id, { account: accountId });
    await fake.webhooks.idle();
    const attempts = fake.webhooks.deliveries.filter((d: any) => d.type === 'checkout.session.completed' && d.account === accountId);
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts.every((d: any) => d.status === 500)).toBe(true);
    const [event] = fake.events({ type: 'checkout.session.completed', account: accountId });
    const row = await api.services.systemDb.stripeEvent.findUniqueOrThrow({ where: { id: event.id as string } });
    expect(row).toMatchObject({ processedAt: null, claimedAt: null });
  });

  it('a tenant that has not connected Stripe says so clearly', async () => {
    const f = await createTenantFixture(api);
    const pack = await api.gql(SAVE_PACK, { i: { name: 'p', incidents: 1, priceCents: 100 } }, f.admin.token);
    const r = await api.gql(BUY, { p: pack.data.saveIncidentPack.incidentPack.id }, f.customer.token);
    expect(r.data.buyIncidentPack).toMatchObject({ __typename: 'BillingDisabledError', code: 'BILLING_DISABLED' });
  });

  it('tenant B cannot buy A\'s pack nor see A\'s Stripe account', async () => {
    const { f: a, accountId, packId } = await connectedTenant();
    const b = await createTenantFixture(api);
    expect((await api.gql(BUY, { p: packId }, b.customer.token)).data.buyIncidentPack.__typename).toBe('NotFoundError');
    const seen = JSON.stringify((await api.gql('{ billingSettings { stripeAccountId } incidentPacks { id } }', {}, b.admin.token)).data);
    expect(seen).not.toContain(accountId);
    expect(seen).not.toContain(packId);
    expect(a.tenant.id).not.toBe(b.tenant.id);
  });
});

describe('provider plans (Stripe Billing on the platform account)', () => {
  it('subscribing through Checkout sets the plan; cancelling returns to free; events in any order', async () => {
    const f = await createTenantFixture(api);
    const start = await api.gql(`mutation { startPlanCheckout(plan: "team") { __typename ... on StartPlanCheckoutSuccess { checkout { id url } } ... on Error { code message } } }`, {}, f.admin.token);
    expect(start.data.startPlanCheckout.__typename).toBe('StartPlanCheckoutSuccess');
    const planSession = await fake.stripe.checkout.sessions.retrieve(start.data.startPlanCheckout.checkout.id);
    expect(planSession.success_url).toBe(`${api.services.config.publicWebUrl}/t/${f.slug}/admin/plan?checkout=done`);
    fake.webhooks.pause();
    fake.complete(start.data.startPlanCheckout.checkout.id);
    await fake.webhooks.flush('reverse');
    fake.webhooks.resume();
    await fake.webhooks.idle();
    const usage = await until(() => api.gql('{ planUsage { plan status agents agentsLimit overLimit canAddAgent } }', {}, f.admin.token), (u) => u.data.planUsage.plan === 'team');
    expect(usage.data.planUsage).toMatchObject({ plan: 'team', status: 'active', agentsLimit: 20, overLimit: false, canAddAgent: true });
    const portal = await api.gql(`mutation { planPortalLink { __typename ... on PlanPortalLinkSuccess { portal { url } } } }`, {}, f.admin.token);
    expect(portal.data.planPortalLink.portal.url).toMatch(/^https?:/);
    const sub = await api.services.systemDb.tenantSubscription.findUniqueOrThrow({ where: { tenantId: f.tenant.id } });
    await fake.stripe.subscriptions.cancel(sub.stripeSubscriptionId!);
    const after = await until(() => api.gql('{ planUsage { plan status } }', {}, f.admin.token), (u) => u.data.planUsage.plan === 'free');
    expect(after.data.planUsage).toEqual({ plan: 'free', status: 'canceled' });
    expect((await api.gql('{ planUsage { plan } }', {}, f.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a plan switched in the customer portal (new price, old metadata) becomes the tenant\'s plan', async () => {
    const f = await createTenantFixture(api);
    const start = await api.gql(`mutation { startPlanCheckout(plan: "team") { ... on StartPlanCheckoutSuccess { checkout { id } } } }`, {}, f.admin.token);
    fake.complete(start.data.startPlanCheckout.checkout.id);
    await until(() => api.gql('{ planUsage { plan } }', {}, f.admin.token), (u) => u.data.planUsage.plan === 'team');
    const row = await api.services.systemDb.tenantSubscription.findUniqueOrThrow({ where: { tenantId: f.tenant.id } });
    const sub = await fake.stripe.subscriptions.retrieve(row.stripeSubscriptionId!);
    expect(sub.metadata.plan).toBe('team');
    // what the portal does on an upgrade: swap the item's price, leave the metadata alone
    await fake.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0].id, price: businessPrice }] });
    const usage = await until(() => api.gql('{ planUsage { plan agentsLimit } }', {}, f.admin.token), (u) => u.data.planUsage.plan === 'business');
    expect(usage.data.planUsage).toEqual({ plan: 'business', agentsLimit: 500 });
    expect((await api.services.systemDb.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } })).plan).toBe('business');
  });

  it('the agent limit of the plan is enforced: adding or reactivating beyond it is a PlanLimitError', async () => {
    const f = await createTenantFixture(api); // free plan (3 agents); the fixture provisions 4 active users without the check
    const add = (email: string) => api.gql(CREATE_AGENT, { i: { email, name: 'New Agent', password: 'long-enough-pw' } }, f.admin.token);
    const refused = await add(`new1@${f.slug}.test`);
    expect(refused.data.createAgent).toEqual({ __typename: 'PlanLimitError', code: 'PLAN_LIMIT', plan: 'free', resource: 'agents', limit: 3, message: expect.stringContaining('free plan allows 3') });
    expect(await api.services.systemDb.user.count({ where: { tenantId: f.tenant.id, email: `new1@${f.slug}.test` } })).toBe(0);
    expect((await api.gql('{ planUsage { canAddAgent } }', {}, f.admin.token)).data.planUsage.canAddAgent).toBe(false);
    // deactivating two frees one seat (2 active of 3); reactivating both again: the second is refused
    for (const a of [f.reader, f.agent2]) {
      expect((await api.gql(UPDATE_AGENT, { i: { id: a.id, active: false } }, f.admin.token)).data.updateAgent.__typename).toBe('UpdateAgentSuccess');
    }
    expect((await api.gql(UPDATE_AGENT, { i: { id: f.reader.id, active: true } }, f.admin.token)).data.updateAgent.__typename).toBe('UpdateAgentSuccess');
    expect((await api.gql(UPDATE_AGENT, { i: { id: f.agent2.id, active: true } }, f.admin.token)).data.updateAgent).toMatchObject({ __typename: 'PlanLimitError', limit: 3 });
    // concurrent additions cannot both take the last seat of a bigger plan
    await api.services.systemDb.tenant.update({ where: { id: f.tenant.id }, data: { plan: 'team' } });
    const active = await api.services.systemDb.user.count({ where: { tenantId: f.tenant.id, active: true } });
    expect(active).toBe(3);
    await withTenant(api.services.db, f.tenant.id, (tx) => tx.user.createMany({ data: Array.from({ length: 16 }, (_, i) => ({ tenantId: f.tenant.id, email: `bulk${i}@${f.slug}.test`, name: `Bulk ${i}`, passwordHash: 'x', kind: 'AGENT' as const })) }));
    const both = await Promise.all([add(`race1@${f.slug}.test`), add(`race2@${f.slug}.test`)]);
    expect(both.map((r) => r.data.createAgent.__typename).sort()).toEqual(['CreateAgentSuccess', 'PlanLimitError']);
  });

  it('over the ticket limit nothing is refused: mail and tickets keep coming, usage says so', async () => {
    const f = await createTenantFixture(api);
    await withTenant(api.services.db, f.tenant.id, async (tx) => {
      const q = f.queue('Support').id;
      const [state, prio] = await Promise.all([tx.ticketState.findFirstOrThrow({ where: { type: 'NEW' } }), tx.priority.findFirstOrThrow({ where: { level: 3 } })]);
      await tx.ticket.createMany({ data: Array.from({ length: 301 }, (_, i) => ({ tenantId: f.tenant.id, number: `L${i}`, title: 'x', queueId: q, stateId: state.id, priorityId: prio.id })) });
    });
    const usage = (await api.gql('{ planUsage { plan ticketsThisMonth ticketsPerMonthLimit overLimit } }', {}, f.admin.token)).data.planUsage;
    expect(usage).toMatchObject({ plan: 'free', ticketsThisMonth: 301, ticketsPerMonthLimit: 300, overLimit: true });
    const t = await api.gql(`mutation($i: CreateTicketInput!) { createTicket(input: $i) { __typename } }`, { i: { queueId: f.queue('Support').id, title: 'still works', body: 'x', channel: 'EMAIL', customerEmail: 'new@example.com' } }, f.agent.token);
    expect(t.data.createTicket.__typename).toBe('CreateTicketSuccess');
  });
});

describe('without STRIPE_SECRET_KEY', () => {
  it('billing answers BILLING_DISABLED and the webhook route 503', async () => {
    const plain = await startTestApi();
    try {
      const f = await createTenantFixture(plain);
      const r = await plain.gql(CONNECT, {}, f.admin.token);
      expect(r.data.connectStripeAccount).toMatchObject({ __typename: 'BillingDisabledError', code: 'BILLING_DISABLED' });
      expect(r.data.connectStripeAccount.message).toContain('STRIPE_SECRET_KEY');
      expect((await fetch(plain.url.replace('/graphql', '/stripe/webhook'), { method: 'POST', body: '{}' })).status).toBe(503);
      // no platform plans on this installation: no agent limit (the fixture's 4 users exceed free's 3)
      const more = await plain.gql(CREATE_AGENT, { i: { email: `more@${f.slug}.test`, name: 'More', password: 'long-enough-pw' } }, f.admin.token);
      expect(more.data.createAgent.__typename).toBe('CreateAgentSuccess');
    } finally {
      await plain.close();
    }
  });
});
