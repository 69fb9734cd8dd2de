import { randomBytes } from 'node:crypto';
import { onboardTenant } from '@parley/api/tenants/onboard-tenant.ts';
import { createAgent } from '@parley/api/agents/create-agent.ts';
import { createRole } from '@parley/api/agents/create-role.ts';
import { createCustomerUser } from '@parley/api/customers/create-customer-user.ts';
import { login } from '@parley/api/auth/login.ts';
import type { TestApi } from './api.ts';

const PASSWORD = 'correct-horse-battery';
const meta = { ip: '127.0.0.1', userAgent: 'vitest' };

export const uniqueSlug = (prefix = 't') => `${prefix}${randomBytes(5).toString('hex')}`;

/**
 * A fresh tenant built through the domain use cases: an admin, an agent with rw on the working
 * queues (the default Agents role), a read-only agent (ro on Support), two customers of one
 * company and one of another, each with a session token.
 */
export async function createTenantFixture(api: TestApi, opts: { ticketNumberFormat?: 'date' | 'prefix' } = {}) {
  const { db } = api.services;
  const slug = uniqueSlug();
  const { tenant, queues, agentsRoleId } = await onboardTenant(db, {
    slug, name: `Tenant ${slug}`, adminEmail: `admin@${slug}.test`, adminPassword: PASSWORD, ticketNumberFormat: opts.ticketNumberFormat,
  });
  const queue = (name: string) => queues.find((q) => q.name === name)!;
  const agent = await createAgent(db, tenant.id, { email: `agent@${slug}.test`, name: 'Alice Agent', password: PASSWORD, roleIds: [agentsRoleId] });
  const agent2 = await createAgent(db, tenant.id, { email: `agent2@${slug}.test`, name: 'Bob Agent', password: PASSWORD, roleIds: [agentsRoleId] });
  const reader = await createAgent(db, tenant.id, { email: `reader@${slug}.test`, name: 'Rita Reader', password: PASSWORD });
  await createRole(db, tenant.id, { name: 'Readers', queues: [{ queueId: queue('Support').id, permissions: ['RO'] }], userIds: [reader.id] });
  const customer = await createCustomerUser(db, tenant.id, { email: `carol@${slug}.example`, name: 'Carol Customer', password: PASSWORD, companyName: 'Carol Inc' });
  const colleague = await createCustomerUser(db, tenant.id, { email: `colin@${slug}.example`, name: 'Colin Colleague', password: PASSWORD, companyName: 'Carol Inc', seesCompanyTickets: true });
  const stranger = await createCustomerUser(db, tenant.id, { email: `sam@${slug}.example`, name: 'Sam Stranger', password: PASSWORD, companyName: 'Other Ltd' });
  const token = async (email: string) => (await login(api.services, { tenantSlug: slug, email, password: PASSWORD }, meta)).token;
  return {
    tenant, slug, queues, queue, password: PASSWORD,
    admin: { email: `admin@${slug}.test`, token: await token(`admin@${slug}.test`) },
    agent: { ...agent, token: await token(agent.email) },
    agent2: { ...agent2, token: await token(agent2.email) },
    reader: { ...reader, token: await token(reader.email) },
    customer: { ...customer, token: await token(customer.email) },
    colleague: { ...colleague, token: await token(colleague.email) },
    stranger: { ...stranger, token: await token(stranger.email) },
  };
}

export type TenantFixture = Awaited<ReturnType<typeof createTenantFixture>>;

export const CREATE_TICKET = `mutation($input: CreateTicketInput!) { createTicket(input: $input) {
  __typename ... on CreateTicketSuccess { ticket { id number title } } ... on Error { code message } } }`;

/** Opens a ticket through the API as `token` and returns it (fails the test on an error). */
export async function openTicket(api: TestApi, token: string, input: Record<string, unknown>) {
  const res = await api.gql(CREATE_TICKET, { input }, token);
  const result = res.data?.createTicket;
  if (result?.__typename !== 'CreateTicketSuccess') throw new Error(`createTicket failed: ${JSON.stringify(res.errors ?? result)}`);
  return result.ticket as { id: string; number: string; title: string };
}
