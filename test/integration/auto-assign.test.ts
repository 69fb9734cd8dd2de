// Automatic assignment: round robin and least loaded among the queue's agents (the ticket-event
// job's use case, called directly), configured by admins through GraphQL, per tenant.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { autoAssignTicket } from '@parley/api/queues/auto-assign.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let f: TenantFixture;
let g: TenantFixture;
const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];
const SET = `mutation($q: ID!, $s: AutoAssignStrategy) { setQueueAutoAssign(queueId: $q, strategy: $s) { __typename ... on SetQueueAutoAssignSuccess { queue { name autoAssign } } ... on Error { code } } }`;

beforeAll(async () => {
  api = await startTestApi();
  [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(() => api.close());

/** The queue's eligible agents (rw/owner through a role), in the order round robin uses. */
const eligible = (queueId: string) => withTenant(api.services.db, f.tenant.id, (tx) => tx.user.findMany({
  where: { active: true, roles: { some: { role: { permissions: { some: { queueId, permissions: { hasSome: ['RW', 'OWNER'] } } } } } } }, orderBy: { id: 'asc' }, select: { id: true },
})).then((u) => u.map((x) => x.id));

it('round robin hands new ownerless tickets to each eligible agent in turn; owned tickets are left alone', async () => {
  const queueId = f.queue('Support').id;
  const set = await api.gql(SET, { q: queueId, s: 'ROUND_ROBIN' }, f.admin.token);
  expect(set.data.setQueueAutoAssign.queue).toEqual({ name: 'Support', autoAssign: 'ROUND_ROBIN' });
  const agents = await eligible(queueId);
  expect(agents).toEqual(expect.arrayContaining([f.agent.id, f.agent2.id]));
  expect(agents).not.toContain(f.reader.id); // ro only
  const owners: string[] = [];
  for (let i = 0; i < agents.length * 2; i++) {
    const t = await openTicket(api, f.customer.token, { queueId, title: `rr ${i}`, body: 'x' });
    owners.push((await autoAssignTicket(api.services.db, f.tenant.id, raw(t.id)))!.ownerId);
  }
  const start = agents.indexOf(owners[0]);
  expect(owners).toEqual(Array.from({ length: agents.length * 2 }, (_, i) => agents[(start + i) % agents.length]));
  const owned = await openTicket(api, f.agent.token, { queueId, title: 'mine', body: 'x', ownerId: f.agent2.id });
  expect(await autoAssignTicket(api.services.db, f.tenant.id, raw(owned.id))).toBeNull();
});

it('least loaded picks the agent owning the fewest open tickets', async () => {
  const queueId = f.queue('Billing').id;
  await api.gql(SET, { q: queueId, s: 'LEAST_LOADED' }, f.admin.token);
  const agents = await eligible(queueId);
  const loads = await withTenant(api.services.db, f.tenant.id, async (tx) => Promise.all(agents.map(async (id) => [id, await tx.ticket.count({ where: { ownerId: id, archived: false, state: { type: { in: ['NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE'] } } } })] as const)));
  const min = Math.min(...loads.map(([, n]) => n));
  const t = await openTicket(api, f.customer.token, { queueId, title: 'least', body: 'x' });
  const { ownerId } = (await autoAssignTicket(api.services.db, f.tenant.id, raw(t.id)))!;
  expect(loads.find(([id]) => id === ownerId)![1]).toBe(min);
  // off again: no assignment
  expect((await api.gql(SET, { q: queueId, s: null }, f.admin.token)).data.setQueueAutoAssign.queue.autoAssign).toBeNull();
  const t2 = await openTicket(api, f.customer.token, { queueId, title: 'manual', body: 'x' });
  expect(await autoAssignTicket(api.services.db, f.tenant.id, raw(t2.id))).toBeNull();
});

it('only admins configure it, and tenant B cannot touch tenant A\'s queues', async () => {
  expect((await api.gql(SET, { q: f.queue('Raw').id, s: 'ROUND_ROBIN' }, f.agent.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await api.gql(SET, { q: f.queue('Raw').id, s: 'ROUND_ROBIN' }, g.admin.token)).data.setQueueAutoAssign.__typename).toBe('NotFoundError');
  const count = await withTenant(api.services.db, f.tenant.id, (tx) => tx.queueAutoAssign.count({ where: { queueId: f.queue('Raw').id } }));
  expect(count).toBe(0);
});
