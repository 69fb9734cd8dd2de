// The portal's Checkout return page: confirmIncidentCheckout re-reads the customer's own pack
// session from Stripe and applies it when paid (idempotent, even without the webhook); nobody
// else's session can be read or applied. customerIncidentsByEmail for the admin's grant page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../../support/fake-stripe/index.ts';
import { startTestApi, type TestApi } from '../../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../../support/factories.ts';

let fake: FakeStripe;
let api: TestApi;

// No webhook endpoint: only the return page can apply the payment here.
beforeAll(async () => {
  fake = await startFakeStripe();
  api = await startTestApi({ STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_HOST: fake.host, STRIPE_API_PORT: String(fake.port), STRIPE_API_PROTOCOL: 'http' });
});
afterAll(async () => {
  await api?.close();
  await fake?.close();
});

const CONNECT = `mutation { connectStripeAccount { ... on ConnectStripeAccountSuccess { onboarding { id } } } }`;
const SAVE_PACK = `mutation($i: IncidentPackInput!) { saveIncidentPack(input: $i) { ... on SaveIncidentPackSuccess { incidentPack { id } } } }`;
const BUY = `mutation($p: ID!) { buyIncidentPack(packId: $p) { __typename ... on BuyIncidentPackSuccess { checkout { id url } } ... on Error { code } } }`;
const CONFIRM = `mutation($s: String!) { confirmIncidentCheckout(sessionId: $s) { __typename
  ... on ConfirmIncidentCheckoutSuccess { checkout { sessionId status paid granted packName incidents } } ... on Error { code } } }`;
const BALANCE = `{ myIncidents { balance entries { kind delta } } }`;
const BY_EMAIL = `query($e: String!) { customerIncidentsByEmail(email: $e) { customerId customerName customerEmail balance } }`;

async function connected() {
  const f = await createTenantFixture(api);
  const accountId = (await api.gql(CONNECT, {}, f.admin.token)).data.connectStripeAccount.onboarding.id as string;
  fake.onboard(accountId);
  const packId = (await api.gql(SAVE_PACK, { i: { name: 'Five', incidents: 5, priceCents: 9_900 } }, f.admin.token)).data.saveIncidentPack.incidentPack.id as string;
  return { f, accountId, packId };
}

describe('confirmIncidentCheckout', () => {
  let a: Awaited<ReturnType<typeof connected>>;
  let b: Awaited<ReturnType<typeof connected>>;
  beforeAll(async () => {
    [a, b] = await Promise.all([connected(), connected()]);
  });

  it('reports an open session as unpaid, applies a paid one once, and returns to the portal pages', async () => {
    const buy = await api.gql(BUY, { p: a.packId }, a.f.customer.token);
    expect(buy.data.buyIncidentPack.__typename).toBe('BuyIncidentPackSuccess');
    const sessionId = buy.data.buyIncidentPack.checkout.id as string;
    const session = await fake.client({ stripeAccount: a.accountId }).checkout.sessions.retrieve(sessionId);
    // back into this tenant's portal whatever host PUBLIC_WEB_URL names (/t/<slug> selects it)
    expect(session.success_url).toBe(`${api.services.config.publicWebUrl}/t/${a.f.slug}/portal/incidents/checkout/done?session={CHECKOUT_SESSION_ID}`);
    expect(session.cancel_url).toBe(`${api.services.config.publicWebUrl}/t/${a.f.slug}/portal/incidents/checkout/cancelled`);

    const open = await api.gql(CONFIRM, { s: sessionId }, a.f.customer.token);
    expect(open.data.confirmIncidentCheckout).toEqual({ __typename: 'ConfirmIncidentCheckoutSuccess', checkout: { sessionId, status: 'open', paid: false, granted: false, packName: 'Five', incidents: 5 } });
    expect((await api.gql(BALANCE, {}, a.f.customer.token)).data.myIncidents.balance).toBe(0);

    fake.complete(sessionId, { account: a.accountId });
    for (let i = 0; i < 3; i++) {
      const done = await api.gql(CONFIRM, { s: sessionId }, a.f.customer.token);
      expect(done.data.confirmIncidentCheckout.checkout).toMatchObject({ status: 'complete', paid: true, granted: true });
    }
    const my = (await api.gql(BALANCE, {}, a.f.customer.token)).data.myIncidents;
    expect(my.balance).toBe(5);
    expect(my.entries).toEqual([{ kind: 'GRANT_PURCHASE', delta: 5 }]);
  });

  it('another customer of the tenant, or of another tenant, cannot read or apply the session', async () => {
    const sessionId = (await api.gql(BUY, { p: a.packId }, a.f.customer.token)).data.buyIncidentPack.checkout.id as string;
    fake.complete(sessionId, { account: a.accountId });
    const before = (await api.gql(BALANCE, {}, a.f.customer.token)).data.myIncidents.balance as number;
    expect((await api.gql(CONFIRM, { s: sessionId }, a.f.colleague.token)).data.confirmIncidentCheckout.__typename).toBe('NotFoundError');
    expect((await api.gql(CONFIRM, { s: sessionId }, b.f.customer.token)).data.confirmIncidentCheckout.__typename).toBe('NotFoundError');
    expect((await api.gql(CONFIRM, { s: 'cs_test_doesnotexist' }, a.f.customer.token)).data.confirmIncidentCheckout.__typename).toBe('NotFoundError');
    expect((await api.gql(CONFIRM, { s: '../../v1/customers' }, a.f.customer.token)).data.confirmIncidentCheckout.__typename).toBe('NotFoundError');
    expect((await api.gql(BALANCE, {}, a.f.colleague.token)).data.myIncidents.balance).toBe(0);
    expect((await api.gql(BALANCE, {}, b.f.customer.token)).data.myIncidents.balance).toBe(0);
    // Not applied by the others' attempts; the owner's own confirmation applies it.
    expect((await api.gql(BALANCE, {}, a.f.customer.token)).data.myIncidents.balance).toBe(before);
    await api.gql(CONFIRM, { s: sessionId }, a.f.customer.token);
    expect((await api.gql(BALANCE, {}, a.f.customer.token)).data.myIncidents.balance).toBe(before + 5);
    // Agents do not confirm customers' payments.
    expect((await api.gql(CONFIRM, { s: sessionId }, a.f.admin.token)).data?.confirmIncidentCheckout ?? null).toBeNull();
  });
});

describe('customerIncidentsByEmail', () => {
  let f: TenantFixture;
  let g: TenantFixture;
  beforeAll(async () => {
    [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
  });

  it('finds the tenant\'s own customer (case-insensitive), not another tenant\'s, and not for customers', async () => {
    const own = await api.gql(BY_EMAIL, { e: f.customer.email.toUpperCase() }, f.admin.token);
    expect(own.data.customerIncidentsByEmail).toMatchObject({ customerName: 'Carol Customer', customerEmail: f.customer.email, balance: 0 });
    expect((await api.gql(BY_EMAIL, { e: g.customer.email }, f.admin.token)).data.customerIncidentsByEmail).toBeNull();
    expect((await api.gql(BY_EMAIL, { e: f.customer.email }, g.admin.token)).data.customerIncidentsByEmail).toBeNull();
    const asCustomer = await api.gql(BY_EMAIL, { e: f.colleague.email }, f.customer.token);
    expect(asCustomer.data?.customerIncidentsByEmail ?? null).toBeNull();
    expect(asCustomer.errors?.length).toBeGreaterThan(0);
  });
});
