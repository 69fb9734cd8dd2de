import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { DEMO, seedDemo } from '@parley/api/seed/seed-demo.ts';

let api: TestApi;
beforeAll(async () => { api = await startTestApi(); });
afterAll(() => api.close());

it('seeds the demo tenant once, with the documented logins working', async () => {
  const first = await seedDemo(api.services);
  const second = await seedDemo(api.services);
  expect(second.created).toBe(false);
  void first;
  const login = `mutation($i: LoginInput!) { login(input: $i) { __typename ... on LoginSuccess { token viewer { kind } } } }`;
  const kinds = [];
  for (const email of [DEMO.admin, DEMO.agent, DEMO.customer]) {
    const r = await api.gql(login, { i: { tenantSlug: DEMO.slug, email, password: DEMO.password } });
    kinds.push(r.data.login.viewer.kind);
  }
  expect(kinds).toEqual(['ADMIN', 'AGENT', 'CUSTOMER']);
  const agentToken = (await api.gql(login, { i: { tenantSlug: DEMO.slug, email: DEMO.agent, password: DEMO.password } })).data.login.token;
  const tickets = await api.gql('{ tickets(first: 50, filter: { includeArchived: true }) { totalCount edges { node { state { type } } } } }', {}, agentToken);
  expect(tickets.data.tickets.totalCount).toBeGreaterThanOrEqual(8);
  const types = new Set(tickets.data.tickets.edges.map((e: any) => e.node.state.type));
  expect([...types]).toEqual(expect.arrayContaining(['NEW', 'OPEN', 'CLOSED', 'PENDING_REMINDER']));
});
