import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { createCustomerUser } from '@parley/api/customers/create-customer-user.ts';
import { solveChallenge } from '@parley/api/customers/proof-of-work.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { CHALLENGE, LOGIN, REQUEST_RESET, RESET, SETTINGS, SIGN_UP, SUBMIT_GUEST, gqlFrom, lastLinkToken, outboxTo, uniqueIp } from '../support/portal.ts';

// Tenant B cannot see or change tenant A through the portal account and guest-form API.
let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  api = await startTestApi({ QUEUE_PREFIX: `portal-iso-${process.pid}`, PORTAL_POW_DIFFICULTY: '8' });
  [a, b] = [await createTenantFixture(api), await createTenantFixture(api)];
  await api.gql(SETTINGS, { input: { allowSignUp: true, allowGuestTickets: true } }, a.admin.token);
});
afterAll(() => api?.close());

describe('portal isolation', () => {
  it('portal settings are per tenant', async () => {
    const q = 'query { portalSettings { allowSignUp allowGuestTickets } }';
    expect((await api.gql(q, {}, a.admin.token)).data.portalSettings).toEqual({ allowSignUp: true, allowGuestTickets: true });
    expect((await api.gql(q, {}, b.admin.token)).data.portalSettings).toEqual({ allowSignUp: false, allowGuestTickets: false });
    const info = await api.gql('query($s: String!) { portalInfo(tenantSlug: $s) { guestQueues { id } } }', { s: a.slug });
    const aQueueIds = new Set(a.queues.map((q) => q.id));
    expect(info.data.portalInfo.guestQueues.length).toBeGreaterThan(0);
    expect(info.data.portalInfo.guestQueues.every((q: { id: string }) => aQueueIds.has(q.id))).toBe(true);
  });

  it("a challenge of tenant A is worthless for tenant B, and A's form cannot file into B's queue", async () => {
    await api.gql(SETTINGS, { input: { allowGuestTickets: true } }, b.admin.token);
    const c = (await gqlFrom(api, uniqueIp(), CHALLENGE, { slug: a.slug })).data.guestTicketChallenge;
    const proof = { challenge: c.challenge, solution: solveChallenge(c.challenge, c.difficulty) };
    const base = { name: 'X', email: `x.${Date.now()}@example.com`, subject: 'S', message: 'M' };
    const intoB = await gqlFrom(api, uniqueIp(), SUBMIT_GUEST, { input: { ...base, ...proof, tenantSlug: b.slug, queueId: b.queue('Support').id } });
    expect(intoB.data.submitGuestTicket).toMatchObject({ __typename: 'SpamCheckFailedError', reason: 'PROOF_INVALID' });
    const bQueueViaA = await gqlFrom(api, uniqueIp(), SUBMIT_GUEST, { input: { ...base, ...proof, tenantSlug: a.slug, queueId: b.queue('Support').id } });
    expect(bQueueViaA.data.submitGuestTicket.__typename).toBe('NotFoundError');
    expect(await withTenant(api.services.db, b.tenant.id, (tx) => tx.ticket.count({ where: { submittedAsGuest: true } }))).toBe(0);
    await api.gql(SETTINGS, { input: { allowGuestTickets: false } }, b.admin.token);
  });

  it('the same address in two tenants: sign-up and reset in A never touch B', async () => {
    const email = `twin.${Date.now()}@example.com`;
    const inB = await createCustomerUser(api.services.db, b.tenant.id, { email, name: 'Twin B', password: 'twin-b-password' });
    const res = await gqlFrom(api, uniqueIp(), SIGN_UP, { input: { tenantSlug: a.slug, name: 'Twin A', email, password: 'twin-a-password' } });
    expect(res.data.signUp.__typename).toBe('SignUpSuccess');
    // A got a new, unverified account (a verification mail, not "you have an account")
    expect((await outboxTo(api, a.tenant.id, email)).map((m) => m.subject)[0]).toContain('Confirm');
    expect(await outboxTo(api, b.tenant.id, email)).toHaveLength(0);

    const bSession = (await gqlFrom(api, uniqueIp(), LOGIN, { input: { tenantSlug: b.slug, email, password: 'twin-b-password' } })).data.login.token;
    await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: a.slug, email } });
    const link = await lastLinkToken(api, a.tenant.id, email, '/portal/reset');
    expect((await gqlFrom(api, uniqueIp(), RESET, { input: { token: link!.token, password: 'twin-a-new-password' } })).data.resetPassword.__typename).toBe('ResetPasswordSuccess');
    expect((await api.gql('query { me { id } }', {}, bSession)).data.me.id).toBe(inB.id);
    const bLogin = await gqlFrom(api, uniqueIp(), LOGIN, { input: { tenantSlug: b.slug, email, password: 'twin-b-password' } });
    expect(bLogin.data.login.__typename).toBe('LoginSuccess');
  });

  it("B's admin cannot change A's settings; a customer's portal profile is their own tenant's", async () => {
    await api.gql(SETTINGS, { input: { allowSignUp: true } }, b.admin.token);
    expect((await api.gql('query { portalSettings { allowGuestTickets } }', {}, a.admin.token)).data.portalSettings.allowGuestTickets).toBe(true);
    await api.gql(SETTINGS, { input: { allowSignUp: false } }, b.admin.token);
    const profile = await api.gql('query { portalProfile { seesCompanyTickets companyName } }', {}, b.colleague.token);
    expect(profile.data.portalProfile).toEqual({ seesCompanyTickets: true, companyName: 'Carol Inc' });
    const company = await withTenant(api.services.db, b.tenant.id, (tx) => tx.customerCompany.findFirstOrThrow({ where: { name: 'Carol Inc' } }));
    expect(company.tenantId).toBe(b.tenant.id);
    const asAgent = await api.gql('query { portalProfile { seesCompanyTickets } }', {}, a.agent.token);
    expect(asAgent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
