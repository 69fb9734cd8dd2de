// The provider console (issue 5): tenants with usage, changing a tenant's plan and limits,
// suspending and resuming. Provider only; a suspended tenant's agents, customers and API keys
// are refused with TENANT_SUSPENDED while its inbound mail is still accepted, kept and ticketed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { rotateIngestToken } from '@parley/api/mail/inbound/http-ingest.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { resolveRecipient } from '@parley/api/mail/tenant-mail.ts';
import { PROVIDER_TOKEN, startTestApi, type TestApi } from '../../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../../support/factories.ts';
import { mail } from '../../support/mail.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  // STRIPE_PLAN_PRICES set: this installation sells plans, so the agent limit is enforced.
  api = await startTestApi({ STRIPE_PLAN_PRICES: JSON.stringify({ team: 'price_team', business: 'price_business' }) });
  [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(async () => {
  await api?.close();
});

const TENANTS = `{ tenants { id slug plan suspended usage { agents ticketsThisMonth storageMb overLimit limits { agents ticketsPerMonth storageMb } overrides { agents ticketsPerMonth storageMb } } } }`;
const CHANGE = `mutation($t: ID!, $p: String!, $l: TenantLimitsInput) { changeTenantPlan(tenantId: $t, plan: $p, limits: $l) {
  __typename ... on ChangeTenantPlanSuccess { tenant { id plan usage { limits { agents ticketsPerMonth storageMb } overrides { agents } } } }
  ... on ValidationError { field } ... on Error { code message } } }`;
const SUSPEND = `mutation($t: ID!, $r: String) { suspendTenant(tenantId: $t, reason: $r) { __typename ... on SuspendTenantSuccess { tenant { id suspended } } ... on Error { code } } }`;
const RESUME = `mutation($t: ID!) { resumeTenant(tenantId: $t) { __typename ... on ResumeTenantSuccess { tenant { id suspended } } ... on Error { code } } }`;
const PLAN_USAGE = `{ planUsage { plan agentsLimit canAddAgent ticketsPerMonthLimit } }`;
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { __typename ... on LoginSuccess { token } ... on Error { code } } }`;
const CREATE_AGENT = `mutation($i: CreateAgentInput!) { createAgent(input: $i) { __typename ... on PlanLimitError { limit } ... on Error { code } } }`;

const row = async (tenantId: string) => ((await api.gql(TENANTS, {}, PROVIDER_TOKEN)).data.tenants as Array<{ id: string } & Record<string, any>>).find((t) => t.id === tenantId)!;

describe('tenants with usage', () => {
  it('lists every tenant with its active agents, tickets this month and storage against its plan\'s limits', async () => {
    const before = await row(a.tenant.id);
    await openTicket(api, a.customer.token, { queueId: a.queue('Support').id, title: 'counted', body: 'x' });
    const after = await row(a.tenant.id);
    // Four active users on the free plan's three: over the (soft) limit.
    expect(after.usage).toMatchObject({ agents: 4, storageMb: 0, overLimit: true, overrides: null, limits: { agents: 3, ticketsPerMonth: 300, storageMb: 1000 } });
    expect(after.usage.ticketsThisMonth).toBe(before.usage.ticketsThisMonth + 1);
    expect((await row(b.tenant.id)).usage.ticketsThisMonth).toBe(0);
  });

  it('is the provider\'s only: a tenant admin or agent gets no tenant list and can change nothing', async () => {
    for (const token of [a.admin.token, a.agent.token, a.customer.token]) {
      const list = await api.gql(TENANTS, {}, token);
      expect(list.data?.tenants ?? null).toBeNull();
      expect(list.errors?.length).toBeGreaterThan(0);
      const change = await api.gql(CHANGE, { t: a.tenant.id, p: 'business' }, token);
      expect(change.data?.changeTenantPlan ?? null).toBeNull();
      const suspend = await api.gql(SUSPEND, { t: b.tenant.id }, token);
      expect(suspend.data?.suspendTenant ?? null).toBeNull();
    }
    expect((await row(a.tenant.id)).plan).toBe('free');
    expect((await row(b.tenant.id)).suspended).toBe(false);
  });
});

describe('plan and limits', () => {
  it('changes a tenant\'s plan and limits; the tenant\'s own plan usage and agent seats follow, other tenants not', async () => {
    const t = await api.gql(CHANGE, { t: a.tenant.id, p: 'team', l: { agents: 5, storageMb: 2048 } }, PROVIDER_TOKEN);
    expect(t.data.changeTenantPlan).toMatchObject({ __typename: 'ChangeTenantPlanSuccess', tenant: { plan: 'team', usage: { limits: { agents: 5, ticketsPerMonth: 5000, storageMb: 2048 }, overrides: { agents: 5 } } } });
    expect((await api.gql(PLAN_USAGE, {}, a.admin.token)).data.planUsage).toEqual({ plan: 'team', agentsLimit: 5, canAddAgent: true, ticketsPerMonthLimit: 5000 });
    expect((await api.gql(PLAN_USAGE, {}, b.admin.token)).data.planUsage).toMatchObject({ plan: 'free', agentsLimit: 3 });

    const fifth = await api.gql(CREATE_AGENT, { i: { email: `fifth@${a.slug}.test`, name: 'Fifth', password: 'correct-horse-battery' } }, a.admin.token);
    expect(fifth.data.createAgent.__typename).toBe('CreateAgentSuccess');
    const sixth = await api.gql(CREATE_AGENT, { i: { email: `sixth@${a.slug}.test`, name: 'Sixth', password: 'correct-horse-battery' } }, a.admin.token);
    expect(sixth.data.createAgent).toEqual({ __typename: 'PlanLimitError', code: 'PLAN_LIMIT', limit: 5 });

    // Back to the plan's own limits.
    const reset = await api.gql(CHANGE, { t: a.tenant.id, p: 'business' }, PROVIDER_TOKEN);
    expect(reset.data.changeTenantPlan.tenant.usage).toEqual({ limits: { agents: 500, ticketsPerMonth: 200000, storageMb: 1000000 }, overrides: null });
    expect(await api.services.systemDb.tenantLimitOverride.count({ where: { tenantId: a.tenant.id } })).toBe(0);
  });

  it('refuses an unknown plan, a negative limit and an unknown tenant', async () => {
    expect((await api.gql(CHANGE, { t: a.tenant.id, p: 'platinum' }, PROVIDER_TOKEN)).data.changeTenantPlan).toMatchObject({ __typename: 'ValidationError', field: 'plan' });
    expect((await api.gql(CHANGE, { t: a.tenant.id, p: 'team', l: { agents: -1 } }, PROVIDER_TOKEN)).data.changeTenantPlan).toMatchObject({ __typename: 'ValidationError', field: 'limits.agents' });
    expect((await api.gql(CHANGE, { t: '01900000-0000-7000-8000-000000000000', p: 'team' }, PROVIDER_TOKEN)).data.changeTenantPlan.__typename).toBe('NotFoundError');
  });
});

describe('suspension', () => {
  it('refuses a suspended tenant\'s agents, customers and API keys with TENANT_SUSPENDED, keeps accepting its mail, and resuming restores everything', async () => {
    const f = await createTenantFixture(api);
    const key = (await api.gql(`mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { ... on CreateApiKeySuccess { created { secret } } } }`,
      { i: { name: 'integration', scopes: ['TICKETS_READ'] } }, f.admin.token)).data.createApiKey.created.secret as string;
    const ingestToken = await rotateIngestToken(api.services.db, f.tenant.id);

    const s = await api.gql(SUSPEND, { t: f.tenant.id, r: 'unpaid invoice' }, PROVIDER_TOKEN);
    expect(s.data.suspendTenant).toEqual({ __typename: 'SuspendTenantSuccess', tenant: { id: f.tenant.id, suspended: true } });
    const log = await api.services.systemDb.tenantStatusChange.findMany({ where: { tenantId: f.tenant.id } });
    expect(log).toMatchObject([{ suspended: true, reason: 'unpaid invoice' }]);

    for (const token of [f.agent.token, f.admin.token, f.customer.token, key]) {
      const me = await api.gql('{ me { id } }', {}, token);
      expect(me.status).toBe(403);
      expect(me.errors?.[0]?.extensions?.code).toBe('TENANT_SUSPENDED');
    }
    const login = await api.gql(LOGIN, { i: { tenantSlug: f.slug, email: f.agent.email, password: f.password } });
    expect(login.data.login).toEqual({ __typename: 'TenantSuspendedError', code: 'TENANT_SUSPENDED' });
    // Another tenant is untouched.
    expect((await api.gql('{ me { id } }', {}, b.agent.token)).status).toBe(200);

    // Mail still arrives: SMTP routing resolves the address, HTTP ingest stores it (202), processing makes the ticket.
    expect(await resolveRecipient(api.services.systemDb, `support@${f.slug}.localhost`, api.services.config.MAIL_DOMAIN)).toMatchObject({ tenantId: f.tenant.id });
    const m = mail({ from: 'nina@cust.example', to: `support@${f.slug}.localhost`, subject: 'sent while suspended' });
    const res = await fetch(`${api.url.replace('/graphql', '')}/mail/inbound/${f.slug}`, {
      method: 'POST', headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'message/rfc822' }, body: new Uint8Array(m.raw),
    });
    expect(res.status).toBe(202);
    const { id } = await res.json() as { id: string };
    await ingestMail(api.services, f.tenant.id, id);
    const article = await withTenant(api.services.db, f.tenant.id, (tx) => tx.article.findFirst({ where: { messageId: m.messageId }, include: { ticket: true } }));
    expect(article?.ticket.title).toBe('sent while suspended');

    const r = await api.gql(RESUME, { t: f.tenant.id }, PROVIDER_TOKEN);
    expect(r.data.resumeTenant).toEqual({ __typename: 'ResumeTenantSuccess', tenant: { id: f.tenant.id, suspended: false } });
    expect((await api.gql('{ me { id } }', {}, f.agent.token)).status).toBe(200);
    expect((await api.gql(LOGIN, { i: { tenantSlug: f.slug, email: f.agent.email, password: f.password } })).data.login.__typename).toBe('LoginSuccess');
    const seen = await api.gql('query($n: String!) { ticket(number: $n) { title } }', { n: article!.ticket.number }, f.agent.token);
    expect(seen.data.ticket).toEqual({ title: 'sent while suspended' });
    expect((await api.services.systemDb.tenantStatusChange.findMany({ where: { tenantId: f.tenant.id }, orderBy: { createdAt: 'asc' } })).map((l) => l.suspended)).toEqual([true, false]);
  });
});
