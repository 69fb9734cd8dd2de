import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { LOGIN, REQUEST_RESET, RESEND, RESET, SETTINGS, SIGN_UP, VERIFY, gqlFrom, lastLinkToken, outboxTo, uniqueIp } from '../support/portal.ts';

const ME = 'query { me { id email kind } }';
let api: TestApi;
let t: TenantFixture;

beforeAll(async () => {
  api = await startTestApi({
    QUEUE_PREFIX: `portal-acct-${process.pid}`,
    PORTAL_ACCOUNT_REQUESTS_PER_IP_HOUR: '6',
    PORTAL_ACCOUNT_MAILS_PER_ADDRESS_HOUR: '3',
    PUBLIC_WEB_URL: 'http://portal.test:3000',
  });
  t = await createTenantFixture(api);
  const res = await api.gql(SETTINGS, { input: { allowSignUp: true } }, t.admin.token);
  expect(res.data.updatePortalSettings.settings).toEqual({ allowSignUp: true, allowGuestTickets: false });
});
afterAll(() => api?.close());

const signUp = (ip: string, email: string, password = 'a-good-password', slug = t.slug) =>
  gqlFrom(api, ip, SIGN_UP, { input: { tenantSlug: slug, name: 'Nina New', email, password } });
const login = (email: string, password: string, slug = t.slug) => gqlFrom(api, uniqueIp(), LOGIN, { input: { tenantSlug: slug, email, password } });

describe('customer self sign-up', () => {
  it('is refused while the tenant has it switched off (the default)', async () => {
    const other = await createTenantFixture(api);
    const res = await signUp(uniqueIp(), 'someone@example.com', 'a-good-password', other.slug);
    expect(res.data.signUp).toMatchObject({ __typename: 'ForbiddenError' });
    const settings = await api.gql('query { portalSettings { allowSignUp allowGuestTickets } }', {}, other.admin.token);
    expect(settings.data.portalSettings).toEqual({ allowSignUp: false, allowGuestTickets: false });
    const asAgent = await api.gql(SETTINGS, { input: { allowSignUp: true } }, other.agent.token);
    expect(asAgent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('creates an unverified account, mails a single-use link, and refuses sign-in until it is opened', async () => {
    const email = `nina.${Date.now()}@example.com`;
    const res = await signUp(uniqueIp(), email.toUpperCase());
    expect(res.data.signUp).toEqual({ __typename: 'SignUpSuccess', email });

    const mails = await outboxTo(api, t.tenant.id, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'NOTIFICATION', ticketId: null });
    expect(mails[0].subject).toContain('Confirm your e-mail address');
    const link = await lastLinkToken(api, t.tenant.id, email, '/portal/verify');
    expect(link!.url.startsWith(`http://portal.test:3000/t/${t.slug}/portal/verify?token=`)).toBe(true);
    // only a hash is stored
    const stored = await withTenant(api.services.db, t.tenant.id, (tx) => tx.accountToken.findMany({ where: { customerUser: { email } } }));
    expect(stored).toHaveLength(1);
    expect(stored[0].tokenHash).not.toContain(link!.token.slice(0, 20));

    // the wrong password says "invalid" (nothing about verification); the right one says "verify first"
    expect((await login(email, 'wrong-password')).data.login.__typename).toBe('InvalidCredentialsError');
    expect((await login(email, 'a-good-password')).data.login).toMatchObject({ __typename: 'EmailNotVerifiedError', code: 'EMAIL_NOT_VERIFIED' });

    const verified = await gqlFrom(api, uniqueIp(), VERIFY, { token: link!.token });
    expect(verified.data.verifyEmail).toEqual({ __typename: 'VerifyEmailSuccess', email });
    const again = await gqlFrom(api, uniqueIp(), VERIFY, { token: link!.token });
    expect(again.data.verifyEmail).toMatchObject({ __typename: 'InvalidTokenError', reason: 'USED' });

    const ok = await login(email, 'a-good-password');
    expect(ok.data.login).toMatchObject({ __typename: 'LoginSuccess', viewer: { kind: 'CUSTOMER', email } });
  });

  it('answers alike for a registered address, changes nothing and mails the owner instead', async () => {
    const before = await withTenant(api.services.db, t.tenant.id, (tx) => tx.customerUser.count());
    const fresh = await signUp(uniqueIp(), `brand.new.${Date.now()}@example.com`, 'attacker-password');
    const known = await signUp(uniqueIp(), t.customer.email, 'attacker-password');
    const agent = await signUp(uniqueIp(), t.agent.email, 'attacker-password');
    expect(Object.keys(known.data.signUp)).toEqual(Object.keys(fresh.data.signUp));
    expect(known.data.signUp.__typename).toBe('SignUpSuccess');
    expect(agent.data.signUp.__typename).toBe('SignUpSuccess');
    expect(await withTenant(api.services.db, t.tenant.id, (tx) => tx.customerUser.count())).toBe(before + 1);

    // the owner's password and verification state are untouched
    expect((await login(t.customer.email, 'attacker-password')).data.login.__typename).toBe('InvalidCredentialsError');
    expect((await login(t.customer.email, t.password)).data.login.__typename).toBe('LoginSuccess');
    const owner = await outboxTo(api, t.tenant.id, t.customer.email);
    expect(owner.at(-1)!.subject).toContain('Your account at');
    expect(owner.at(-1)!.links[0]).toContain('/portal/reset?token=');
    const agentMail = await outboxTo(api, t.tenant.id, t.agent.email);
    expect(agentMail.at(-1)!.links[0]).toContain('/password/reset?token=');
  });

  it('resends the verification link of an unverified sign-up (the old link stops working) and is silent otherwise', async () => {
    const email = `resend.${Date.now()}@example.com`;
    await signUp(uniqueIp(), email);
    const first = await lastLinkToken(api, t.tenant.id, email, '/portal/verify');
    const res = await gqlFrom(api, uniqueIp(), RESEND, { input: { tenantSlug: t.slug, email } });
    expect(res.data.resendVerification).toEqual({ __typename: 'AccountMailRequested', ok: true });
    const second = await lastLinkToken(api, t.tenant.id, email, '/portal/verify');
    expect(second!.token).not.toBe(first!.token);
    expect((await gqlFrom(api, uniqueIp(), VERIFY, { token: first!.token })).data.verifyEmail.__typename).toBe('InvalidTokenError');

    const unknown = await gqlFrom(api, uniqueIp(), RESEND, { input: { tenantSlug: t.slug, email: `nobody.${Date.now()}@example.com` } });
    expect(unknown.data.resendVerification).toEqual(res.data.resendVerification);
    const verifiedOne = await gqlFrom(api, uniqueIp(), RESEND, { input: { tenantSlug: t.slug, email: t.customer.email } });
    expect(verifiedOne.data.resendVerification).toEqual(res.data.resendVerification);
    expect((await outboxTo(api, t.tenant.id, t.customer.email)).filter((m) => m.subject.startsWith('Confirm'))).toHaveLength(0);
  });

  it('a second sign-up of an unverified address replaces the first one\'s password (no planted passwords)', async () => {
    const email = `planted.${Date.now()}@example.com`;
    await signUp(uniqueIp(), email, 'attacker-chose-this');
    const first = await lastLinkToken(api, t.tenant.id, email, '/portal/verify');
    await signUp(uniqueIp(), email, 'owner-chose-this');
    const second = await lastLinkToken(api, t.tenant.id, email, '/portal/verify');
    expect((await gqlFrom(api, uniqueIp(), VERIFY, { token: first!.token })).data.verifyEmail.reason).toBe('USED');
    expect((await gqlFrom(api, uniqueIp(), VERIFY, { token: second!.token })).data.verifyEmail.__typename).toBe('VerifyEmailSuccess');
    expect((await login(email, 'attacker-chose-this')).data.login.__typename).toBe('InvalidCredentialsError');
    expect((await login(email, 'owner-chose-this')).data.login.__typename).toBe('LoginSuccess');
  });

  it('writes account mails in the account\'s language', async () => {
    const email = `deutsch.${Date.now()}@example.com`;
    await gqlFrom(api, uniqueIp(), SIGN_UP, { input: { tenantSlug: t.slug, name: 'Dora Deutsch', email, password: 'ein-gutes-passwort', locale: 'de' } });
    await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: t.slug, email } });
    const mails = await outboxTo(api, t.tenant.id, email);
    expect(mails.map((m) => m.subject)).toEqual([`Bestätigen Sie Ihre E-Mail-Adresse für ${t.tenant.name}`, `Passwort für ${t.tenant.name} zurücksetzen`]);
    expect(mails[0].text).toContain('Hallo Dora Deutsch');
  });

  it('applies the password policy and refuses forged, unknown and expired links', async () => {
    const short = await signUp(uniqueIp(), `short.${Date.now()}@example.com`, 'short');
    expect(short.data.signUp).toMatchObject({ __typename: 'ValidationError' });

    const email = `expiring.${Date.now()}@example.com`;
    await signUp(uniqueIp(), email);
    const link = await lastLinkToken(api, t.tenant.id, email, '/portal/verify');
    const [random, sig] = link!.token.split('.');
    const forged = `${random.slice(0, -2)}AA.${sig}`;
    expect((await gqlFrom(api, uniqueIp(), VERIFY, { token: forged })).data.verifyEmail.reason).toBe('INVALID');
    expect((await gqlFrom(api, uniqueIp(), VERIFY, { token: 'nonsense' })).data.verifyEmail.reason).toBe('INVALID');
    await withTenant(api.services.db, t.tenant.id, (tx) => tx.accountToken.updateMany({ where: { customerUser: { email } }, data: { expiresAt: new Date(Date.now() - 1000) } }));
    expect((await gqlFrom(api, uniqueIp(), VERIFY, { token: link!.token })).data.verifyEmail.reason).toBe('EXPIRED');
  });

  it('rate-limits per address and per IP', async () => {
    const email = `limited.${Date.now()}@example.com`;
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await signUp(uniqueIp(), email)).data.signUp.__typename);
    expect(results).toEqual(['SignUpSuccess', 'SignUpSuccess', 'SignUpSuccess', 'RateLimitedError']);

    const ip = uniqueIp();
    const fromOneIp = [];
    for (let i = 0; i < 7; i++) fromOneIp.push((await signUp(ip, `ip${i}.${Date.now()}@example.com`)).data.signUp.__typename);
    expect(fromOneIp.slice(0, 6).every((r) => r === 'SignUpSuccess')).toBe(true);
    expect(fromOneIp[6]).toBe('RateLimitedError');
  });
});

describe('password reset', () => {
  it('resets a customer password with a single-use link and ends every session', async () => {
    const s1 = (await login(t.stranger.email, t.password)).data.login.token;
    const s2 = (await login(t.stranger.email, t.password)).data.login.token;
    expect((await api.gql(ME, {}, s1)).data.me.email).toBe(t.stranger.email);

    const req = await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: t.slug, email: t.stranger.email.toUpperCase() } });
    expect(req.data.requestPasswordReset).toEqual({ __typename: 'AccountMailRequested', ok: true });
    const link = await lastLinkToken(api, t.tenant.id, t.stranger.email, '/portal/reset');
    expect(link).not.toBeNull();

    const weak = await gqlFrom(api, uniqueIp(), RESET, { input: { token: link!.token, password: 'short' } });
    expect(weak.data.resetPassword.__typename).toBe('ValidationError');
    const done = await gqlFrom(api, uniqueIp(), RESET, { input: { token: link!.token, password: 'a-brand-new-password' } });
    expect(done.data.resetPassword).toEqual({ __typename: 'ResetPasswordSuccess', email: t.stranger.email, kind: 'CUSTOMER' });

    for (const old of [s1, s2, t.stranger.token]) {
      const me = await api.gql(ME, {}, old);
      expect(me.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await login(t.stranger.email, t.password)).data.login.__typename).toBe('InvalidCredentialsError');
    expect((await login(t.stranger.email, 'a-brand-new-password')).data.login.__typename).toBe('LoginSuccess');
    const reuse = await gqlFrom(api, uniqueIp(), RESET, { input: { token: link!.token, password: 'another-new-password' } });
    expect(reuse.data.resetPassword).toMatchObject({ __typename: 'InvalidTokenError', reason: 'USED' });
  });

  it('resets an agent password (link to the staff page) and revokes the agent sessions', async () => {
    await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: t.slug, email: t.agent2.email } });
    const link = await lastLinkToken(api, t.tenant.id, t.agent2.email, '/password/reset');
    const done = await gqlFrom(api, uniqueIp(), RESET, { input: { token: link!.token, password: 'agent-new-password' } });
    expect(done.data.resetPassword).toMatchObject({ kind: 'AGENT' });
    expect((await api.gql(ME, {}, t.agent2.token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login(t.agent2.email, 'agent-new-password')).data.login.viewer.kind).toBe('AGENT');
  });

  it('answers alike for unknown addresses and tenants, and mails nothing', async () => {
    const nobody = `nobody.${Date.now()}@example.com`;
    const known = await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: t.slug, email: t.colleague.email } });
    const unknown = await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: t.slug, email: nobody } });
    const noTenant = await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: 'no-such-tenant-xyz', email: nobody } });
    expect(unknown.data).toEqual(known.data);
    expect(noTenant.data).toEqual(known.data);
    expect(await outboxTo(api, t.tenant.id, nobody)).toHaveLength(0);
  });

  it('rate-limits reset mails per address', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: t.slug, email: t.reader.email } })).data.requestPasswordReset.__typename);
    expect(results).toEqual(['AccountMailRequested', 'AccountMailRequested', 'AccountMailRequested', 'RateLimitedError']);
    expect((await outboxTo(api, t.tenant.id, t.reader.email))).toHaveLength(3);
  });

  it('a reset link verifies an unverified sign-up (it proves the address)', async () => {
    const email = `viareset.${Date.now()}@example.com`;
    await signUp(uniqueIp(), email);
    await gqlFrom(api, uniqueIp(), REQUEST_RESET, { input: { tenantSlug: t.slug, email } });
    const link = await lastLinkToken(api, t.tenant.id, email, '/portal/reset');
    await gqlFrom(api, uniqueIp(), RESET, { input: { token: link!.token, password: 'chosen-after-reset' } });
    expect((await login(email, 'chosen-after-reset')).data.login.__typename).toBe('LoginSuccess');
  });
});
