import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../../support/factories.ts';

let api: TestApi;
let f: TenantFixture;

const QUEUES = `{ queues { name ticketCounts { stateType count } } }`;
type Q = { name: string; ticketCounts: { stateType: string; count: number }[] };
const count = (queues: Q[], name: string, type = 'NEW') => queues.find((q) => q.name === name)?.ticketCounts.find((c) => c.stateType === type)?.count ?? 0;

beforeAll(async () => {
  api = await startTestApi();
  f = await createTenantFixture(api);
});
afterAll(() => api.close());

describe('queue ticket counts (the sidebar)', () => {
  it('counts every queue of the list in one batched query, per queue and state type, inside the tenant only', async () => {
    for (let i = 0; i < 3; i++) await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: `S${i}`, body: 'x' });
    await openTicket(api, f.agent.token, { queueId: f.queue('Billing').id, title: 'B', body: 'x' });
    const g = await createTenantFixture(api);
    await openTicket(api, g.agent.token, { queueId: g.queue('Support').id, title: 'other tenant', body: 'x' });
    const a = (await api.gql(QUEUES, {}, f.agent.token)).data.queues as Q[];
    expect(count(a, 'Support')).toBe(3);
    expect(count(a, 'Billing')).toBe(1);
    expect(count(a, 'Raw')).toBe(0);
    const b = (await api.gql(QUEUES, {}, g.agent.token)).data.queues as Q[];
    expect(count(b, 'Support')).toBe(1);
    expect(count(b, 'Billing')).toBe(0);
  });
});
