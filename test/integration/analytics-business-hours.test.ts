// Analytics from the rollup: business-hours first-response/resolution (the SLA's calendar, else
// the tenant default calendar), SLA compliance per dimension, the company dimension against a
// direct count, idempotent refresh, quarter rows, "my ratings", and tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { fromGlobalOrRawId } from '@parley/api/graphql/ids.ts';
import { refreshTenantRollups } from '@parley/api/analytics/refresh-rollups.ts';
import { loadPendingIntervals } from '@parley/api/analytics/business-minutes.ts';
import { computeSlaClock, type SlaEvent } from '@parley/api/sla/sla-clock.ts';
import { validateCalendar } from '@parley/api/sla/business-calendar.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const week = (start: string, end: string) => Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start, end }]]));
const range = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };
const Q = `query($from: DateTime!, $to: DateTime!, $g: AnalyticsGroupBy) { analytics(from: $from, to: $to) { tickets(groupBy: $g) {
  key label created solved backlog
  firstResponse { count median } firstResponseBusiness { count median p90 } resolutionBusiness { count median p90 }
  slaFirstResponse { count met percent } slaSolution { count met percent } } } }`;

async function saveCalendar(f: TenantFixture, name: string, timeZone: string, w: object) {
  const r = await api.gql(`mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename ... on SaveCalendarSuccess { calendar { id } } } }`,
    { i: { name, timeZone, week: w, holidays: [] } }, f.admin.token);
  return r.data.saveCalendar.calendar.id as string;
}

/** Puts a ticket's timeline in January 2026 (what the ticket use cases would have recorded then). */
async function timeline(f: TenantFixture, ticketId: string, t: { created: string; firstResponse?: string; closed?: string; companyId?: string | null }) {
  await withTenant(api.services.db, f.tenant.id, async (tx) => {
    const closed = await tx.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } });
    await tx.ticket.update({
      where: { id: fromGlobalOrRawId(ticketId) },
      data: {
        createdAt: new Date(t.created), firstResponseAt: t.firstResponse ? new Date(t.firstResponse) : null,
        ...(t.closed ? { stateId: closed.id, closedAt: new Date(t.closed) } : {}),
        ...(t.companyId !== undefined ? { customerCompanyId: t.companyId } : {}),
      },
    });
  });
}

/** The SLA engine's record of a target (api/src/sla/ticket-sla.ts writes these). */
async function slaResult(f: TenantFixture, ticketId: string, slaId: string, target: 'FIRST_RESPONSE' | 'SOLUTION', inTime: boolean) {
  await withTenant(api.services.db, f.tenant.id, (tx) => tx.slaResult.create({
    data: { tenantId: f.tenant.id, ticketId: fromGlobalOrRawId(ticketId), slaId, slaName: 'Office', target, cycle: 0, inTime, metAt: new Date('2026-01-20T00:00:00Z') },
  }));
}

const stats = async (f: TenantFixture, g: string, r = range) => {
  const res = await api.gql(Q, { ...r, g }, f.admin.token);
  expect(res.errors).toBeUndefined();
  return res.data.analytics.tickets as any[];
};
const facts = (f: TenantFixture) => withTenant(api.services.db, f.tenant.id, (tx) => tx.ticketFact.findMany({ orderBy: { createdAt: 'asc' } }));

const ids: string[] = [];
let otherCompanyId: string;

beforeAll(async () => {
  api = await startTestApi();
  [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
  // SLA "Office" on Berlin office hours (Mon–Fri 09–17), assigned to the Support queue
  const berlin = await saveCalendar(a, 'Berlin office', 'Europe/Berlin', week('09:00', '17:00'));
  const sla = await api.gql(`mutation($i: CreateSlaInput!) { createSla(input: $i) { ... on CreateSlaSuccess { sla { id } } } }`,
    { i: { name: 'Office', calendarId: berlin, firstResponseMinutes: 60, solutionMinutes: 480 } }, a.admin.token);
  const slaId = sla.data.createSla.sla.id as string;
  await api.gql(`mutation($i: AssignSlaInput!) { assignSla(input: $i) { __typename } }`, { i: { slaId, queueId: a.queue('Support').id } }, a.admin.token);
  // the tenant default calendar (tickets without an SLA): UTC mornings, Mon–Fri 08–12
  const mornings = await saveCalendar(a, 'Mornings', 'UTC', week('08:00', '12:00'));
  const set = await api.gql(`mutation($c: ID) { setDefaultCalendar(calendarId: $c) { __typename ... on SetDefaultCalendarSuccess { result { calendar { name } } } } }`, { c: mornings }, a.admin.token);
  expect(set.data.setDefaultCalendar.result.calendar.name).toBe('Mornings');
  otherCompanyId = (await withTenant(api.services.db, a.tenant.id, (tx) => tx.customerCompany.create({ data: { tenantId: a.tenant.id, name: 'Other GmbH' } }))).id;

  for (const [queue, title] of [['Support', 't1'], ['Support', 't2'], ['Billing', 't3'], ['Billing', 't4']] as const) {
    ids.push((await openTicket(api, a.customer.token, { queueId: a.queue(queue).id, title, body: 'x' })).id);
  }
  // t1: Fri 2026-01-09 17:00 Berlin (16:00Z, closed) → first response Mon 09:30 Berlin = 30 business min; solved Mon 11:00 Berlin = 120
  await timeline(a, ids[0], { created: '2026-01-09T16:00:00Z', firstResponse: '2026-01-12T08:30:00Z', closed: '2026-01-12T10:00:00Z' });
  // t2: Mon 10:00 Berlin → first response 13:00 = 180 (late); solved Tue 10:00 = 7 h + 1 h = 480
  await timeline(a, ids[1], { created: '2026-01-12T09:00:00Z', firstResponse: '2026-01-12T12:00:00Z', closed: '2026-01-13T09:00:00Z' });
  // t3 (no SLA: default calendar, UTC 08–12): Mon 11:00Z → 13:00Z = 60 business min (wall clock 120)
  await timeline(a, ids[2], { created: '2026-01-12T11:00:00Z', firstResponse: '2026-01-12T13:00:00Z', companyId: otherCompanyId });
  // t4: no company, open, no response
  await timeline(a, ids[3], { created: '2026-01-14T09:00:00Z', companyId: null });
  await slaResult(a, ids[0], slaId, 'FIRST_RESPONSE', true);
  await slaResult(a, ids[0], slaId, 'SOLUTION', true);
  await slaResult(a, ids[1], slaId, 'FIRST_RESPONSE', false);
  await slaResult(a, ids[1], slaId, 'SOLUTION', true);
  await refreshTenantRollups(api.services, a.tenant.id);
});
afterAll(async () => {
  await api.close();
});

describe('business hours and SLA compliance', () => {
  it('stores business minutes per ticket in the SLA calendar, else the tenant default calendar', async () => {
    const rows = await facts(a);
    expect(rows.map((r) => [r.firstResponseMinutes, r.frBusinessMinutes, r.resBusinessMinutes, r.frInTime, r.solutionInTime])).toEqual([
      [3870, 30, 120, true, true],
      [180, 180, 480, false, true],
      [120, 60, null, null, null],
      [null, null, null, null, null],
    ]);
  });

  it('reports business-hours median/p90 and compliance per dimension from the rollup', async () => {
    const [all] = await stats(a, 'NONE');
    // histogram buckets [30,40) [60,75) [180,240): median 67.5, p90 222; resolution [120,150) [480,600): 150, 576
    expect(all).toMatchObject({
      created: 4, solved: 2, backlog: 2,
      firstResponseBusiness: { count: 3, median: 67.5, p90: 222 }, resolutionBusiness: { count: 2, median: 150, p90: 576 },
      slaFirstResponse: { count: 2, met: 1, percent: 50 }, slaSolution: { count: 2, met: 2, percent: 100 },
    });
    const byQueue = await stats(a, 'QUEUE');
    expect(byQueue.find((r) => r.label === 'Support')).toMatchObject({ created: 2, slaFirstResponse: { count: 2, met: 1, percent: 50 }, firstResponseBusiness: { count: 2 } });
    expect(byQueue.find((r) => r.label === 'Billing')).toMatchObject({ created: 2, slaFirstResponse: { count: 0, met: 0, percent: null }, firstResponseBusiness: { count: 1, median: 67.5 } }); // 60 lies in bucket [60,75)
  });

  it('the company dimension equals a direct count over the tickets', async () => {
    const rows = await stats(a, 'COMPANY');
    const direct = await withTenant(api.services.db, a.tenant.id, (tx) => tx.$queryRaw<Array<{ key: string | null; created: number; solved: number }>>`
      SELECT "customerCompanyId" AS "key", COUNT(*)::int AS "created", (COUNT(*) FILTER (WHERE "closedAt" IS NOT NULL))::int AS "solved"
      FROM "Ticket" WHERE "createdAt" >= ${new Date(range.from)} AND "createdAt" < ${new Date(range.to)} GROUP BY 1`);
    expect(direct).toHaveLength(3);
    const simplify = (xs: Array<{ key: string | null; created: number; solved: number }>) =>
      xs.map((x) => ({ key: x.key, created: x.created, solved: x.solved })).sort((p, q) => String(p.key).localeCompare(String(q.key)));
    expect(simplify(rows)).toEqual(simplify(direct));
    expect(rows.find((r) => r.key === otherCompanyId)).toMatchObject({ label: 'Other GmbH', firstResponseBusiness: { count: 1, median: 67.5 } });
  });

  it('a range with whole quarters (quarter + month + day rows) gives the same figures as January alone', async () => {
    for (const g of ['NONE', 'QUEUE', 'COMPANY']) {
      const wide = await stats(a, g, { from: '2025-12-20T00:00:00.000Z', to: '2026-05-10T00:00:00.000Z' });
      expect(wide, g).toEqual(await stats(a, g));
    }
    const quarterRows = await withTenant(api.services.db, a.tenant.id, (tx) => tx.analyticsDaily.count({ where: { dim: 'COMPANY@Q' } }));
    expect(quarterRows).toBe(3);
  });

  it('refreshing twice, or from scratch, leaves exactly the same rollup', async () => {
    const snapshot = () => withTenant(api.services.db, a.tenant.id, async (tx) => ({
      facts: (await tx.ticketFact.findMany({ orderBy: { ticketId: 'asc' } })).map(({ refreshedAt: _r, ...x }) => x),
      daily: await tx.analyticsDaily.findMany({ orderBy: [{ dim: 'asc' }, { day: 'asc' }, { key: 'asc' }] }),
    }));
    const before = await snapshot();
    await refreshTenantRollups(api.services, a.tenant.id);
    await refreshTenantRollups(api.services, a.tenant.id);
    expect(await snapshot()).toEqual(before);
    await withTenant(api.services.db, a.tenant.id, async (tx) => {
      await tx.analyticsDaily.deleteMany({});
      await tx.ticketFact.deleteMany({});
      await tx.analyticsWatermark.deleteMany({});
    });
    await refreshTenantRollups(api.services, a.tenant.id);
    expect(await snapshot()).toEqual(before);
  });

  it('a changed ticket moves between companies incrementally', async () => {
    await timeline(a, ids[3], { created: '2026-01-14T09:00:00Z', companyId: otherCompanyId });
    await refreshTenantRollups(api.services, a.tenant.id);
    const rows = await stats(a, 'COMPANY');
    expect(rows.find((r) => r.key === otherCompanyId)).toMatchObject({ created: 2 });
    expect(rows.find((r) => r.key === null)).toBeUndefined();
  });

  it('deleting the SLA keeps its past compliance in analytics, and its name on the results', async () => {
    const office = await withTenant(api.services.db, a.tenant.id, (tx) => tx.sla.findFirstOrThrow({ where: { name: 'Office' } }));
    const DELETE = `mutation($id: ID!) { deleteSla(id: $id) { __typename } }`;
    expect((await api.gql(DELETE, { id: office.id }, b.admin.token)).data.deleteSla.__typename).toBe('NotFoundError');
    expect((await api.gql(DELETE, { id: office.id }, a.admin.token)).data.deleteSla.__typename).toBe('DeleteSlaSuccess');
    // the tickets change again (their facts are re-read from the results that are left)
    await withTenant(api.services.db, a.tenant.id, (tx) => tx.ticket.updateMany({ where: { id: { in: ids.slice(0, 2).map((x) => fromGlobalOrRawId(x)) } }, data: { title: 'touched' } }));
    await refreshTenantRollups(api.services, a.tenant.id);
    const [all] = await stats(a, 'NONE');
    expect(all).toMatchObject({ slaFirstResponse: { count: 2, met: 1, percent: 50 }, slaSolution: { count: 2, met: 2, percent: 100 } });
    const rows = await facts(a);
    // no SLA any more: its calendar is gone from the facts, the tenant default calendar (Mornings) measures them
    expect(rows.slice(0, 2).map((r) => [r.slaId, r.frInTime, r.solutionInTime])).toEqual([[null, true, true], [null, false, true]]);
    const results = await api.gql(`query($t: ID!) { slaResults(ticketId: $t) { target sla { id } slaName inTime } }`, { t: ids[1] }, a.admin.token);
    expect(results.data.slaResults).toEqual([
      { target: 'FIRST_RESPONSE', sla: null, slaName: 'Office', inTime: false },
      { target: 'SOLUTION', sla: null, slaName: 'Office', inTime: true },
    ]);
    expect((await api.gql(`query($t: ID!) { slaResults(ticketId: $t) { id } }`, { t: ids[1] }, b.admin.token)).data.slaResults).toEqual([]);
  });
});

/** State changes as the ticket use cases record them (TicketHistory `state_changed`, by state name). */
async function stateChanges(f: TenantFixture, ticketId: string, changes: Array<[string, 'OPEN' | 'PENDING_REMINDER' | 'PENDING_AUTO_CLOSE' | 'CLOSED' | string]>) {
  await withTenant(api.services.db, f.tenant.id, async (tx) => {
    const states = await tx.ticketState.findMany();
    const nameOf = (type: string) => states.find((s) => s.type === type)?.name ?? type; // an unknown name stays as it is
    await tx.ticketHistory.createMany({
      data: changes.map(([at, type]) => ({ tenantId: f.tenant.id, ticketId: fromGlobalOrRawId(ticketId), action: 'state_changed', field: 'state', newValue: nameOf(type), createdAt: new Date(at) })),
    });
  });
}

describe('pending time is not counted (the SLA clock\'s pause)', () => {
  let c: TenantFixture;
  const p: string[] = [];
  const fact = async (ticketId: string) => (await facts(c)).find((x) => x.ticketId === fromGlobalOrRawId(ticketId))!;
  const OFFICE = week('09:00', '17:00');

  beforeAll(async () => {
    c = await createTenantFixture(api);
    // every ticket of this tenant runs on Berlin office hours (Mon–Fri 09–17), the default calendar
    const berlin = await saveCalendar(c, 'Berlin office', 'Europe/Berlin', OFFICE);
    await api.gql(`mutation($c: ID) { setDefaultCalendar(calendarId: $c) { __typename } }`, { c: berlin }, c.admin.token);
    for (const title of ['p1', 'p2', 'p3', 'p4']) p.push((await openTicket(api, c.customer.token, { queueId: c.queue('Support').id, title, body: 'x' })).id);
    // p1: Mon 10:00 Berlin; pending 11:00–13:00, first response 14:00 → 240 − 120 = 120;
    //     pending again Tue 09:00–11:00, closed Tue 12:00 → 7 h + 3 h − 2 h − 2 h = 360
    await timeline(c, p[0], { created: '2026-01-12T09:00:00Z', firstResponse: '2026-01-12T13:00:00Z', closed: '2026-01-13T11:00:00Z' });
    await stateChanges(c, p[0], [['2026-01-12T10:00:00Z', 'PENDING_REMINDER'], ['2026-01-12T12:00:00Z', 'OPEN'],
      ['2026-01-13T08:00:00Z', 'PENDING_AUTO_CLOSE'], ['2026-01-13T10:00:00Z', 'OPEN'], ['2026-01-13T11:00:00Z', 'CLOSED']]);
    // p2: Fri 15:00 Berlin; pending Fri 16:00 → Mon 11:00 (60 business min Fri + 120 Mon), pending Mon 12:00–14:00
    //     (reminder → auto close → reminder: touching intervals), first response Mon 15:00: 120 + 360 − 300 = 180
    await timeline(c, p[1], { created: '2026-01-09T14:00:00Z', firstResponse: '2026-01-12T14:00:00Z' });
    await stateChanges(c, p[1], [['2026-01-09T15:00:00Z', 'PENDING_REMINDER'], ['2026-01-12T10:00:00Z', 'OPEN'],
      ['2026-01-12T11:00:00Z', 'PENDING_AUTO_CLOSE'], ['2026-01-12T11:30:00Z', 'PENDING_REMINDER'], ['2026-01-12T13:00:00Z', 'OPEN']]);
    // p3: Mon 10:00 Berlin, pending 10:20–10:30, pending again from 11:00 (still pending) with the first response at 11:00 → 50
    await timeline(c, p[2], { created: '2026-01-12T09:00:00Z', firstResponse: '2026-01-12T10:00:00Z' });
    await stateChanges(c, p[2], [['2026-01-12T09:20:00Z', 'PENDING_REMINDER'], ['2026-01-12T09:30:00Z', 'OPEN'], ['2026-01-12T10:00:00Z', 'PENDING_REMINDER']]);
    // p4: a change to a state name that no longer exists is ignored (as by the SLA clock): 30
    await timeline(c, p[3], { created: '2026-01-12T09:00:00Z', firstResponse: '2026-01-12T09:30:00Z' });
    await stateChanges(c, p[3], [['2026-01-12T09:05:00Z', 'renamed pending state']]);
    await refreshTenantRollups(api.services, c.tenant.id);
  });

  it('business-hours first response and resolution subtract the business time spent pending', async () => {
    const rows = await Promise.all(p.map(fact));
    expect(rows.map((r) => [r.firstResponseMinutes, r.frBusinessMinutes, r.resolutionMinutes, r.resBusinessMinutes])).toEqual([
      [240, 120, 1560, 360],
      [4320, 180, null, null],
      [60, 50, null, null],
      [30, 30, null, null],
    ]);
    const [all] = await stats(c, 'NONE');
    expect(all).toMatchObject({ created: 4, solved: 1, firstResponseBusiness: { count: 4 }, resolutionBusiness: { count: 1, median: expect.any(Number) } });
  });

  it('agrees with the SLA clock\'s elapsed business time over the same timeline', async () => {
    const calendar = validateCalendar({ timeZone: 'Europe/Berlin', week: OFFICE, holidays: [] });
    const clock = (created: string, events: SlaEvent[], now: string) => computeSlaClock({
      sla: { firstResponseMinutes: 10_000, solutionMinutes: 10_000 }, calendar, createdAt: new Date(created), events, now: new Date(now),
    });
    const at = (s: string) => new Date(s);
    const p1 = clock('2026-01-12T09:00:00Z', [
      { type: 'status', at: at('2026-01-12T10:00:00Z'), status: 'pending' }, { type: 'status', at: at('2026-01-12T12:00:00Z'), status: 'open' },
      { type: 'agentReply', at: at('2026-01-12T13:00:00Z') },
      { type: 'status', at: at('2026-01-13T08:00:00Z'), status: 'pending' }, { type: 'status', at: at('2026-01-13T10:00:00Z'), status: 'open' },
      { type: 'status', at: at('2026-01-13T11:00:00Z'), status: 'solved' },
    ], '2026-01-20T00:00:00Z');
    expect([p1.firstResponse?.elapsedMinutes, p1.solution?.elapsedMinutes]).toEqual([(await fact(p[0])).frBusinessMinutes, (await fact(p[0])).resBusinessMinutes]);
    const p2 = clock('2026-01-09T14:00:00Z', [
      { type: 'status', at: at('2026-01-09T15:00:00Z'), status: 'pending' }, { type: 'status', at: at('2026-01-12T10:00:00Z'), status: 'open' },
      { type: 'status', at: at('2026-01-12T11:00:00Z'), status: 'pending' }, { type: 'status', at: at('2026-01-12T11:30:00Z'), status: 'pending' },
      { type: 'status', at: at('2026-01-12T13:00:00Z'), status: 'open' }, { type: 'agentReply', at: at('2026-01-12T14:00:00Z') },
    ], '2026-01-20T00:00:00Z');
    expect(p2.firstResponse?.elapsedMinutes).toBe((await fact(p[1])).frBusinessMinutes);
  });

  it('a new pending interval is picked up by the next incremental refresh', async () => {
    await stateChanges(c, p[3], [['2026-01-12T09:10:00Z', 'PENDING_AUTO_CLOSE'], ['2026-01-12T09:20:00Z', 'OPEN']]);
    await withTenant(api.services.db, c.tenant.id, (tx) => tx.ticket.update({ where: { id: fromGlobalOrRawId(p[3]) }, data: { title: 'p4 touched' } }));
    const { upserted } = await refreshTenantRollups(api.services, c.tenant.id);
    expect(upserted).toBeGreaterThanOrEqual(1);
    expect((await fact(p[3])).frBusinessMinutes).toBe(20);
  });

  it('pending intervals are read per tenant: tenant B gets none of C\'s', async () => {
    const ids = p.map((x) => fromGlobalOrRawId(x));
    const own = await withTenant(api.services.db, c.tenant.id, (tx) => loadPendingIntervals(tx, c.tenant.id, ids));
    expect(own.get(ids[0])).toHaveLength(2);
    expect((await withTenant(api.services.db, b.tenant.id, (tx) => loadPendingIntervals(tx, b.tenant.id, ids))).size).toBe(0);
    // even naming C's tenant inside B's transaction: row-level security hides C's history
    expect((await withTenant(api.services.db, b.tenant.id, (tx) => loadPendingIntervals(tx, c.tenant.id, ids))).size).toBe(0);
    await refreshTenantRollups(api.services, b.tenant.id);
    expect(await stats(b, 'NONE')).toEqual([]);
  });
});

describe('my ratings', () => {
  it('an agent sees average, distribution and recent comments of their own ratings only', async () => {
    const ticket = await openTicket(api, a.customer.token, { queueId: a.queue('Support').id, title: 'rate me', body: 'x' });
    const ARTICLE = `mutation($i: AddArticleInput!) { addArticle(input: $i) { ... on AddArticleSuccess { result { article { id } } } } }`;
    const r1 = await api.gql(ARTICLE, { i: { ticketId: ticket.id, body: 'answer one' } }, a.agent.token);
    const r2 = await api.gql(ARTICLE, { i: { ticketId: ticket.id, body: 'answer two' } }, a.agent.token);
    const RATE = `mutation($a: ID!, $s: Int!, $c: String) { rateReply(articleId: $a, score: $s, comment: $c) { __typename } }`;
    expect((await api.gql(RATE, { a: r1.data.addArticle.result.article.id, s: 5, c: 'Very helpful' }, a.customer.token)).data.rateReply.__typename).toBe('RateReplySuccess');
    await api.gql(RATE, { a: r2.data.addArticle.result.article.id, s: 2 }, a.customer.token);
    const MINE = `{ myRatings { count average distribution recentComments { score comment } } }`;
    const mine = await api.gql(MINE, {}, a.agent.token);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.myRatings).toEqual({ count: 2, average: 3.5, distribution: [0, 1, 0, 0, 1], recentComments: [{ score: 5, comment: 'Very helpful' }] });
    expect((await api.gql(MINE, {}, a.agent2.token)).data.myRatings).toMatchObject({ count: 0, average: null, recentComments: [] });
    expect((await api.gql(MINE, {}, a.customer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // ratings per agent in analytics, with the agent's name
    const per = await api.gql(`query($f: DateTime!, $t: DateTime!) { analytics(from: $f, to: $t) { ratings { perAgent { agentId name count average } } } }`,
      { f: new Date(Date.now() - 3_600_000).toISOString(), t: new Date(Date.now() + 60_000).toISOString() }, a.admin.token);
    expect(per.data.analytics.ratings.perAgent).toEqual([{ agentId: a.agent.id, name: a.agent.name, count: 2, average: 3.5 }]);
  });
});

describe('tenant isolation', () => {
  it('tenant B sees none of A\'s figures, ratings or calendars', async () => {
    await refreshTenantRollups(api.services, b.tenant.id);
    for (const g of ['NONE', 'COMPANY', 'QUEUE']) expect(await stats(b, g)).toEqual([]);
    expect((await api.gql(`{ myRatings { count recentComments { id } } }`, {}, b.agent.token)).data.myRatings).toEqual({ count: 0, recentComments: [] });
    expect((await api.gql(`{ defaultCalendar { id } }`, {}, b.admin.token)).data.defaultCalendar).toBeNull();
    const aCalendar = await withTenant(api.services.db, a.tenant.id, (tx) => tx.calendar.findFirstOrThrow({ where: { name: 'Mornings' } }));
    const steal = await api.gql(`mutation($c: ID) { setDefaultCalendar(calendarId: $c) { __typename } }`, { c: aCalendar.id }, b.admin.token);
    expect(steal.data.setDefaultCalendar.__typename).toBe('NotFoundError');
    expect((await api.gql(`{ defaultCalendar { name } }`, {}, a.admin.token)).data.defaultCalendar.name).toBe('Mornings');
    expect((await api.gql(`mutation { setDefaultCalendar(calendarId: null) { __typename } }`, {}, a.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
