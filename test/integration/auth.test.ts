import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_TOKEN, startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, uniqueSlug, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let f: TenantFixture;

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { __typename
  ... on LoginSuccess { token viewer { name kind tenant { slug } } }
  ... on RateLimitedError { retryAfterSeconds } ... on Error { code message } } }`;

beforeAll(async () => {
  api = await startTestApi();
  f = await createTenantFixture(api);
});
afterAll(() => api.close());

describe('authentication', () => {
  it('signs agents and customers in, and out', async () => {
    const agent = await api.gql(LOGIN, { i: { tenantSlug: f.slug, email: f.agent.email.toUpperCase(), password: f.password } });
    expect(agent.data.login).toMatchObject({ __typename: 'LoginSuccess', viewer: { name: 'Alice Agent', kind: 'AGENT', tenant: { slug: f.slug } } });
    const customer = await api.gql(LOGIN, { i: { tenantSlug: f.slug, email: f.customer.email, password: f.password } });
    expect(customer.data.login.viewer.kind).toBe('CUSTOMER');
    const token = agent.data.login.token;
    expect((await api.gql('{ me { name } }', {}, token)).data.me.name).toBe('Alice Agent');
    expect((await api.gql('mutation { logout }', {}, token)).data.logout).toBe(true);
    const after = await api.gql('{ me { name } }', {}, token);
    expect(after.status).toBe(401);
    expect(after.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown account the same way', async () => {
    const wrong = await api.gql(LOGIN, { i: { tenantSlug: f.slug, email: f.agent.email, password: 'nope-nope' } });
    const unknown = await api.gql(LOGIN, { i: { tenantSlug: f.slug, email: 'ghost@nowhere.test', password: 'nope-nope' } });
    const noTenant = await api.gql(LOGIN, { i: { tenantSlug: 'no-such-tenant', email: 'ghost@nowhere.test', password: 'nope-nope' } });
    for (const r of [wrong, unknown, noTenant]) expect(r.data.login).toEqual({ __typename: 'InvalidCredentialsError', code: 'INVALID_CREDENTIALS', message: 'Wrong e-mail address or password' });
  });

  it('rate-limits logins per account, with Retry-After', async () => {
    const strict = await startTestApi({ LOGIN_ATTEMPTS_PER_15_MIN: '3' });
    try {
      const email = `victim-${uniqueSlug()}@x.test`;
      const results = [];
      for (let i = 0; i < 5; i++) results.push((await strict.gql(LOGIN, { i: { tenantSlug: f.slug, email, password: 'guess' } })).data.login.__typename);
      expect(results).toEqual(['InvalidCredentialsError', 'InvalidCredentialsError', 'InvalidCredentialsError', 'RateLimitedError', 'RateLimitedError']);
      const limited = await strict.gql(LOGIN, { i: { tenantSlug: f.slug, email, password: 'guess' } });
      expect(limited.data.login.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });

  it('stores no password or token in the clear', async () => {
    const rows = await api.services.systemDb.user.findMany({ where: { tenantId: f.tenant.id }, select: { passwordHash: true } });
    for (const r of rows) expect(r.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const sessions = await api.services.systemDb.session.findMany({ where: { tenantId: f.tenant.id }, select: { tokenHash: true } });
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) expect(s.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions.map((s) => s.tokenHash)).not.toContain(f.agent.token);
  });
});

describe('authorisation', () => {
  it('keeps provider operations to the provider token', async () => {
    const input = { slug: uniqueSlug('p'), name: 'P', adminEmail: 'boss@p.test', adminPassword: 'long-enough' };
    const asAdmin = await api.gql(`mutation($i: OnboardTenantInput!) { onboardTenant(input: $i) { __typename } }`, { i: input }, f.admin.token);
    expect(asAdmin.errors![0].extensions!.code).toBe('FORBIDDEN');
    const anonymous = await api.gql(`{ tenants { id } }`);
    expect(anonymous.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const ok = await api.gql(`mutation($i: OnboardTenantInput!) { onboardTenant(input: $i) { __typename ... on OnboardTenantSuccess { tenant { slug plan } } } }`, { i: input }, PROVIDER_TOKEN);
    expect(ok.data.onboardTenant.tenant).toEqual({ slug: input.slug, plan: 'free' });
    const again = await api.gql(`mutation($i: OnboardTenantInput!) { onboardTenant(input: $i) { __typename ... on Error { code } } }`, { i: input }, PROVIDER_TOKEN);
    expect(again.data.onboardTenant).toEqual({ __typename: 'ConflictError', code: 'CONFLICT' });
    const list = await api.gql(`{ tenants { slug } }`, {}, PROVIDER_TOKEN);
    expect(list.data.tenants.map((t: any) => t.slug)).toContain(input.slug);
  });

  it('gives customers a clear FORBIDDEN on agent fields', async () => {
    const r = await api.gql('{ queues { id } }', {}, f.customer.token);
    expect(r.errors![0]).toMatchObject({ message: 'You are not allowed to use Query.queues', extensions: { code: 'FORBIDDEN' } });
    const ticket = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Mine', body: 'x' });
    const hidden = await api.gql('query($n: String!) { ticket(number: $n) { submitterIp } }', { n: ticket.number }, f.customer.token);
    expect(hidden.errors![0].extensions!.code).toBe('FORBIDDEN');
    const notPortal = await api.gql(`mutation($i: CreateTicketInput!) { createTicket(input: $i) { __typename ... on Error { message } } }`,
      { i: { queueId: f.queue('Raw').id, title: 'x', body: 'y' } }, f.customer.token);
    expect(notPortal.data.createTicket).toEqual({ __typename: 'ForbiddenError', message: 'Customers cannot open tickets in this queue' });
  });

  it('scopes API keys: read-only keys cannot write, revoked keys stop working, keys are shown once', async () => {
    const create = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { __typename ... on CreateApiKeySuccess { created { secret apiKey { id prefix scopes } } } } }`;
    const ro = (await api.gql(create, { i: { name: 'reader', scopes: ['TICKETS_READ'] } }, f.admin.token)).data.createApiKey.created;
    expect(ro.secret.startsWith(ro.apiKey.prefix)).toBe(true);
    expect(ro.apiKey.scopes).toEqual(['TICKETS_READ']);
    const list = await api.gql('{ tickets(first: 1) { totalCount } }', {}, ro.secret);
    expect(list.errors).toBeUndefined();
    const write = await api.gql(`mutation($i: CreateTicketInput!) { createTicket(input: $i) { __typename } }`, { i: { queueId: f.queue('Support').id, title: 'x', body: 'y' } }, ro.secret);
    expect(write.errors![0].extensions!.code).toBe('FORBIDDEN');
    const byAgent = await api.gql(create, { i: { name: 'nope', scopes: ['TICKETS_READ'] } }, f.agent.token);
    expect(byAgent.errors![0].extensions!.code).toBe('FORBIDDEN');
    const keys = await api.gql('{ apiKeys { id prefix } }', {}, f.admin.token);
    expect(JSON.stringify(keys.data)).not.toContain(ro.secret);
    await api.gql('mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: ro.apiKey.id }, f.admin.token);
    const revoked = await api.gql('{ tickets(first: 1) { totalCount } }', {}, ro.secret);
    expect(revoked.status).toBe(401);
  });

  it('rate-limits API keys with 429 and Retry-After', async () => {
    const strict = await startTestApi({ API_KEY_REQUESTS_PER_MIN: '5' });
    try {
      const key = (await strict.gql(`mutation { createApiKey(input: { name: "burst", scopes: [TICKETS_READ] }) { ... on CreateApiKeySuccess { created { secret } } } }`, {}, f.admin.token)).data.createApiKey.created.secret;
      const statuses = [];
      let last;
      for (let i = 0; i < 7; i++) { last = await strict.gql('{ me { id } }', {}, key); statuses.push(last.status); }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last!.errors![0].extensions!.code).toBe('RATE_LIMITED');
    } finally {
      await strict.close();
    }
  });
});
