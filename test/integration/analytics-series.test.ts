// Analytics time series (api/src/analytics/ticket-series.ts): created, solved and backlog per day,
// week and month from the rollup, per tenant or one queue, with typed errors and tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { fromGlobalOrRawId } from '@parley/api/graphql/ids.ts';
import { refreshTenantRollups } from '@parley/api/analytics/refresh-rollups.ts';
import { bucketStart } from '@parley/api/analytics/ticket-series.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;

const JANUARY = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };
const SERIES = `query($from: DateTime!, $to: DateTime!, $i: AnalyticsInterval, $g: AnalyticsGroupBy, $k: ID) {
  analytics(from: $from, to: $to) { series(interval: $i, groupBy: $g, key: $k) {
    start created solved backlog firstResponseBusiness { count median } resolutionBusiness { count } slaSolution { count } } } }`;

interface Point { start: string; created: number; solved: number; backlog: number; firstResponseBusiness: { count: number; median: number | null } }
async function series(f: TenantFixture, vars: Record<string, unknown>): Promise<Point[]> {
  const res = await api.gql(SERIES, { ...JANUARY, ...vars }, f.admin.token);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data.analytics.series;
}
const column = (points: Point[], k: 'created' | 'solved' | 'backlog') => points.map((p) => p[k]);

/** Puts a ticket's timeline where the test needs it (what the ticket use cases would have recorded then). */
async function timeline(f: TenantFixture, ticketId: string, t: { created: string; firstResponse?: string; closed?: string }) {
  await withTenant(api.services.db, f.tenant.id, async (tx) => {
    const closed = await tx.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } });
    await tx.ticket.update({
      where: { id: fromGlobalOrRawId(ticketId) },
      data: {
        createdAt: new Date(t.created), firstResponseAt: t.firstResponse ? new Date(t.firstResponse) : null,
        ...(t.closed ? { stateId: closed.id, closedAt: new Date(t.closed) } : {}),
      },
    });
  });
}

beforeAll(async () => {
  api = await startTestApi();
  [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
  const open = (queue: string, title: string) => openTicket(api, a.customer.token, { queueId: a.queue(queue).id, title, body: 'x' });
  const [old, t1, t2, t3] = [await open('Support', 'old'), await open('Support', 't1'), await open('Support', 't2'), await open('Billing', 't3')];
  await timeline(a, old.id, { created: '2025-12-20T10:00:00Z' }); // still open: the backlog January starts with
  await timeline(a, t1.id, { created: '2026-01-05T09:00:00Z', firstResponse: '2026-01-05T09:30:00Z', closed: '2026-01-14T12:00:00Z' });
  await timeline(a, t2.id, { created: '2026-01-06T09:00:00Z' });
  await timeline(a, t3.id, { created: '2026-01-13T09:00:00Z', firstResponse: '2026-01-13T10:00:00Z', closed: '2026-01-13T15:00:00Z' });
  await refreshTenantRollups(api.services, a.tenant.id);
  await refreshTenantRollups(api.services, b.tenant.id);
});
afterAll(() => api.close());

describe('analytics series', () => {
  it('weeks start on Monday; the first bucket is cut at the range start', () => {
    expect(bucketStart(new Date('2026-01-01T00:00:00Z'), 'WEEK').toISOString()).toBe('2025-12-29T00:00:00.000Z');
    expect(bucketStart(new Date('2026-01-11T23:59:00Z'), 'WEEK').toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(bucketStart(new Date('2026-03-31T10:00:00Z'), 'MONTH').toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('counts created, solved and the running backlog per week, day and month', async () => {
    const weeks = await series(a, { i: 'WEEK' });
    expect(weeks.map((p) => p.start.slice(0, 10))).toEqual(['2026-01-01', '2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']);
    expect(column(weeks, 'created')).toEqual([0, 2, 1, 0, 0]);
    expect(column(weeks, 'solved')).toEqual([0, 0, 2, 0, 0]);
    expect(column(weeks, 'backlog')).toEqual([1, 3, 2, 2, 2]); // the December ticket is open all month
    expect(weeks[1].firstResponseBusiness.count).toBe(1); // t1's first response; t2 has none yet

    const days = await series(a, { i: 'DAY' });
    expect(days).toHaveLength(31);
    expect(days[4]).toMatchObject({ start: '2026-01-05T00:00:00.000Z', created: 1, backlog: 2 });
    expect(days[12]).toMatchObject({ start: '2026-01-13T00:00:00.000Z', created: 1, solved: 1, backlog: 3 });
    expect(days[13]).toMatchObject({ solved: 1, backlog: 2 });

    const months = await series(a, { i: 'MONTH' });
    expect(months).toEqual([expect.objectContaining({ start: '2026-01-01T00:00:00.000Z', created: 3, solved: 2, backlog: 2 })]);
    // across the year boundary: December holds the old ticket
    const winter = await series(a, { i: 'MONTH', from: '2025-12-01T00:00:00.000Z' });
    expect(column(winter, 'created')).toEqual([1, 3]);
    expect(column(winter, 'backlog')).toEqual([1, 2]);
  });

  it('narrows to one queue', async () => {
    const billing = await series(a, { i: 'WEEK', g: 'QUEUE', k: a.queue('Billing').id });
    expect(column(billing, 'created')).toEqual([0, 0, 1, 0, 0]);
    expect(column(billing, 'backlog')).toEqual([0, 0, 0, 0, 0]);
    const support = await series(a, { i: 'MONTH', g: 'QUEUE', k: a.queue('Support').id });
    expect(support[0]).toMatchObject({ created: 2, solved: 1, backlog: 2 });
  });

  it('exports the series as CSV (per week, per queue), refusing bad intervals', async () => {
    const base = api.url.replace('/graphql', '');
    const get = (q: string, token = a.admin.token) => fetch(`${base}/analytics/series.csv?from=${JANUARY.from}&to=${JANUARY.to}&${q}`, { headers: { authorization: `Bearer ${token}` } });
    const res = await get('interval=week');
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^start,created,solved,backlog,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      '2026-01-01,0,0,1', '2026-01-05,2,0,3', '2026-01-12,1,2,2', '2026-01-19,0,0,2', '2026-01-26,0,0,2',
    ]);
    const billing = (await (await get(`interval=MONTH&groupBy=QUEUE&key=${a.queue('Billing').id}`)).text()).trim().split('\r\n');
    expect(billing[1].split(',').slice(0, 4).join(',')).toBe('2026-01-01,1,1,0');
    expect((await get('interval=hour')).status).toBe(400);
    expect((await get(`interval=WEEK&groupBy=COMPANY&key=${a.queue('Billing').id}`)).status).toBe(400);
    expect((await get('interval=WEEK', a.agent.token)).status).toBe(403);
    // tenant B's export of the same range is all zeros
    const other = (await (await get('interval=WEEK', b.admin.token)).text()).trim().split('\r\n').slice(1);
    expect(other.every((l) => /^\d{4}-\d{2}-\d{2},0,0,0,/.test(l))).toBe(true);
  });

  it('refuses what it cannot answer with typed errors', async () => {
    const err = async (vars: Record<string, unknown>) => (await api.gql(SERIES, { ...JANUARY, ...vars }, a.admin.token)).errors?.[0]?.extensions?.code;
    expect(await err({ i: 'DAY', from: '2024-01-01T00:00:00.000Z' })).toBe('VALIDATION');
    expect(await err({ g: 'COMPANY', k: a.queue('Billing').id })).toBe('VALIDATION');
    expect(await err({ g: 'QUEUE' })).toBe('VALIDATION');
    expect(await err({ g: 'QUEUE', k: 'not-an-id' })).toBe('VALIDATION');
    expect((await api.gql(SERIES, JANUARY, a.agent.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('tenant B sees only its own (empty) series, also when it names tenant A\'s queue', async () => {
    for (const vars of [{ i: 'WEEK' }, { i: 'WEEK', g: 'QUEUE', k: a.queue('Support').id }]) {
      const points = await series(b, vars);
      expect(points).toHaveLength(5);
      expect(points.every((p) => p.created === 0 && p.solved === 0 && p.backlog === 0)).toBe(true);
    }
  });
});
