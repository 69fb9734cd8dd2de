// Analytics: the worker's rollup job (real BullMQ) keeps TicketFact current incrementally and
// idempotently; GraphQL and CSV read figures from it; only admins and API keys; tenant isolation.
import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { fromGlobalOrRawId } from '@parley/api/graphql/ids.ts';
import { enqueue, closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { analyticsRollupsJob } from '@parley/worker/jobs/analytics-rollups/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let running: RunningWorkers;
let events: QueueEvents;
const prefix = `t${randomBytes(4).toString('hex')}`;
let run = 0;

beforeAll(async () => {
  api = await startTestApi();
  running = await runWorkers(api.services, [analyticsRollupsJob], { prefix });
  events = new QueueEvents('analytics', { connection: new Redis(api.services.config.REDIS_URL, { maxRetriesPerRequest: null }) as never, prefix });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events.close();
  await running.close();
  await closeQueues();
  await api.close();
});

async function refresh(tenantId?: string) {
  const job = await enqueue(api.services.config.REDIS_URL, analyticsRollupsJob, tenantId ? { tenantId } : {}, { prefix, jobId: `analytics-${prefix}-${run++}` });
  return job.waitUntilFinished(events, 30_000) as Promise<{ tenants: number; tickets: number }>;
}

const JAN = (day: number, h = 10, m = 0) => new Date(Date.UTC(2026, 0, day, h, m));
const Q = `query($from: DateTime!, $to: DateTime!, $g: AnalyticsGroupBy) { analytics(from: $from, to: $to) {
  tickets(groupBy: $g) { key created solved backlog firstResponse { count median p90 } resolution { count median p90 } timeMinutes }
  ratings { count average distribution perAgent { agentId count average } }
  incidents { sold granted consumed refunded revenue { currency amountCents } } } }`;
const range = { from: JAN(1, 0).toISOString(), to: JAN(31, 0).toISOString() };

/** Sets a ticket's timeline as if it had happened in January. */
async function timeline(f: TenantFixture, ticketId: string, t: { created: Date; firstResponseMin?: number; closedMin?: number }) {
  await withTenant(api.services.db, f.tenant.id, async (tx) => {
    const closed = await tx.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } });
    const id = fromGlobalOrRawId(ticketId);
    await tx.ticket.update({
      where: { id },
      data: {
        createdAt: t.created,
        firstResponseAt: t.firstResponseMin === undefined ? null : new Date(t.created.getTime() + t.firstResponseMin * 60_000),
        ...(t.closedMin === undefined ? {} : { stateId: closed.id, closedAt: new Date(t.created.getTime() + t.closedMin * 60_000) }),
      },
    });
  });
}

describe('analytics rollups', () => {
  let a: TenantFixture;
  let b: TenantFixture;
  const ids: string[] = [];

  beforeAll(async () => {
    [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
    for (let i = 0; i < 4; i++) ids.push((await openTicket(api, a.customer.token, { queueId: a.queue('Support').id, title: `s${i}`, body: 'x' })).id);
    ids.push((await openTicket(api, a.customer.token, { queueId: a.queue('Billing').id, title: 'b', body: 'x' })).id);
    const reply = await api.gql(`mutation($i: AddArticleInput!) { addArticle(input: $i) { ... on AddArticleSuccess { result { article { id } } } } }`,
      { i: { ticketId: ids[0], body: 'answer', timeMinutes: 15 } }, a.agent.token);
    await api.gql(`mutation($a: ID!) { rateReply(articleId: $a, score: 4) { __typename } }`, { a: reply.data.addArticle.result.article.id }, a.customer.token);
    await api.gql(`mutation($i: GrantIncidentsInput!) { grantIncidents(input: $i) { __typename } }`, { i: { customerId: a.customer.id, incidents: 3, reason: 'x' } }, a.admin.token);
    await timeline(a, ids[0], { created: JAN(10), firstResponseMin: 10, closedMin: 60 });
    await timeline(a, ids[1], { created: JAN(11), firstResponseMin: 20, closedMin: 120 });
    await timeline(a, ids[2], { created: JAN(12), firstResponseMin: 30 });
    await timeline(a, ids[3], { created: JAN(13), firstResponseMin: 40 });
    await timeline(a, ids[4], { created: JAN(14) });
    await withTenant(api.services.db, a.tenant.id, async (tx) => {
      await tx.rating.updateMany({ data: { createdAt: JAN(10, 12) } });
    });
  });

  it('a job run builds the rollup; GraphQL gives counts, median and p90, time, ratings and incidents', async () => {
    const result = await refresh(a.tenant.id);
    expect(result.tickets).toBe(5);
    const r = await api.gql(Q, { ...range, g: 'NONE' }, a.admin.token);
    expect(r.errors).toBeUndefined();
    const [all] = r.data.analytics.tickets;
    // from the daily rollup: percentiles interpolated in histogram buckets ([10,15) [20,25) [30,40) [40,50) here)
    expect(all).toEqual({
      key: null, created: 5, solved: 2, backlog: 3, timeMinutes: 15,
      firstResponse: { count: 4, median: 25, p90: 46 }, resolution: { count: 2, median: 75, p90: 144 },
    });
    // by company from the daily rollup too (the same histograms)
    const [company] = (await api.gql(Q, { ...range, g: 'COMPANY' }, a.admin.token)).data.analytics.tickets;
    expect(company).toMatchObject({ created: 5, solved: 2, backlog: 3, firstResponse: { count: 4, median: 25, p90: 46 }, resolution: { median: 75, p90: 144 } });
    expect(company.key).toBe(a.customer.companyId);
    expect(r.data.analytics.ratings).toMatchObject({ count: 1, average: 4, distribution: [0, 0, 0, 1, 0], perAgent: [{ agentId: a.agent.id, count: 1, average: 4 }] });
    expect((await api.gql(Q, { from: JAN(1, 0).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }, a.admin.token)).data.analytics.incidents).toMatchObject({ sold: 0, granted: 3, consumed: 0 });
    // a range of whole months (Dec 20 .. Feb 10: daily edges + monthly January) gives the same figures
    for (const g of ['NONE', 'QUEUE', 'AGENT', 'COMPANY']) {
      const narrow = (await api.gql(Q, { ...range, g }, a.admin.token)).data.analytics.tickets;
      const wide = (await api.gql(Q, { from: new Date(Date.UTC(2025, 11, 20)).toISOString(), to: new Date(Date.UTC(2026, 1, 10)).toISOString(), g }, a.admin.token)).data.analytics.tickets;
      expect(wide, g).toEqual(narrow);
    }
    // a ticket re-read is a range question: nothing of January lies in December
    const dec = await api.gql(Q, { from: new Date(Date.UTC(2025, 11, 1)).toISOString(), to: new Date(Date.UTC(2025, 11, 31)).toISOString(), g: 'NONE' }, a.admin.token);
    expect(dec.data.analytics.tickets).toEqual([]);
  });

  it('groups by queue (department reaction speed)', async () => {
    await refresh(a.tenant.id);
    const rows = (await api.gql(Q, { ...range, g: 'QUEUE' }, a.admin.token)).data.analytics.tickets;
    const support = rows.find((x: any) => x.key === a.queue('Support').id);
    const billing = rows.find((x: any) => x.key === a.queue('Billing').id);
    expect(support).toMatchObject({ created: 4, firstResponse: { count: 4, median: 25 } });
    expect(billing).toMatchObject({ created: 1, firstResponse: { count: 0, median: null } });
  });

  it('is incremental and idempotent: only changed tickets are re-read, a merge leaves the rollup', async () => {
    await refresh(a.tenant.id);
    const again = await refresh(a.tenant.id);
    // the overlap window re-reads the recently touched tickets; the figures do not move
    const before = (await api.gql(Q, { ...range, g: 'NONE' }, a.admin.token)).data.analytics.tickets;
    await withTenant(api.services.db, a.tenant.id, (tx) => tx.analyticsWatermark.update({ where: { tenantId: a.tenant.id }, data: { upTo: new Date(Date.now() + 10 * 60_000) } }));
    expect((await refresh(a.tenant.id)).tickets).toBe(0);
    expect(again.tickets).toBeLessThanOrEqual(5);
    expect((await api.gql(Q, { ...range, g: 'NONE' }, a.admin.token)).data.analytics.tickets).toEqual(before);
    await withTenant(api.services.db, a.tenant.id, (tx) => tx.analyticsWatermark.update({ where: { tenantId: a.tenant.id }, data: { upTo: new Date() } }));
    const merge = await api.gql(`mutation($i: MergeTicketsInput!) { mergeTickets(input: $i) { __typename } }`, { i: { ticketId: ids[3], targetId: ids[2] } }, a.agent.token);
    expect(merge.data.mergeTickets.__typename).toBe('MergeTicketsSuccess');
    await refresh(a.tenant.id);
    const [after] = (await api.gql(Q, { ...range, g: 'NONE' }, a.admin.token)).data.analytics.tickets;
    expect(after).toMatchObject({ created: 4, backlog: 2, firstResponse: { count: 3, median: 22.5 } });
    // the incremental result equals a rebuild from scratch, in every dimension
    const every = async () => Promise.all(['NONE', 'QUEUE', 'AGENT', 'TYPE', 'COMPANY'].map(async (g) => (await api.gql(Q, { ...range, g }, a.admin.token)).data.analytics.tickets));
    const incremental = await every();
    await withTenant(api.services.db, a.tenant.id, async (tx) => {
      await tx.analyticsDaily.deleteMany({});
      await tx.ticketFact.deleteMany({});
      await tx.analyticsWatermark.deleteMany({});
    });
    await refresh(a.tenant.id);
    expect(await every()).toEqual(incremental);
  });

  it('the scheduled run (no tenant) refreshes every tenant with changes', async () => {
    await openTicket(api, b.customer.token, { queueId: b.queue('Support').id, title: 'b1', body: 'x' });
    const r = await refresh();
    expect(r.tenants).toBeGreaterThanOrEqual(1);
    const facts = await withTenant(api.services.db, b.tenant.id, (tx) => tx.ticketFact.count());
    expect(facts).toBe(1);
  });

  it('CSV export for admins; 401 without, 403 for plain agents', async () => {
    await refresh(a.tenant.id);
    const base = api.url.replace('/graphql', '');
    const url = `${base}/analytics/tickets.csv?from=${range.from}&to=${range.to}&groupBy=queue`;
    const ok = await fetch(url, { headers: { authorization: `Bearer ${a.admin.token}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/csv');
    const lines = (await ok.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^key,created,solved,backlog,first_response_count,first_response_median_min,first_response_p90_min,resolution_count,resolution_median_min,resolution_p90_min,time_minutes,agent_replies,label,/);
    // after the merge above
    expect(lines.find((l) => l.startsWith(a.queue('Support').id))).toMatch(new RegExp(`^${a.queue('Support').id},3,2,1,3,22.5,37,2,75,144,15,1,Support,`));
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${a.agent.token}` } })).status).toBe(403);
    expect((await fetch(`${base}/analytics/tickets.csv?from=x&to=y`, { headers: { authorization: `Bearer ${a.admin.token}` } })).status).toBe(400);
  });

  it('tenant B sees none of A\'s figures (GraphQL and CSV); agents and customers are refused', async () => {
    const r = await api.gql(Q, { ...range, g: 'QUEUE' }, b.admin.token);
    expect(r.data.analytics.tickets).toEqual([]);
    expect(r.data.analytics.ratings.count).toBe(0);
    expect(r.data.analytics.incidents.granted).toBe(0);
    const csv = await (await fetch(`${api.url.replace('/graphql', '')}/analytics/tickets.csv?from=${range.from}&to=${range.to}&groupBy=QUEUE`, { headers: { authorization: `Bearer ${b.admin.token}` } })).text();
    expect(csv).not.toContain(a.queue('Support').id);
    expect((await api.gql(Q, { ...range }, a.agent.token)).errors?.[0].message).toMatch(/administrators/);
    expect((await api.gql(Q, { ...range }, a.customer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('pending time is not counted in business minutes', () => {
  it('reads the state changes the ticket use cases record, through the job', async () => {
    const c = await createTenantFixture(api);
    const ticket = await openTicket(api, c.customer.token, { queueId: c.queue('Support').id, title: 'p', body: 'x' });
    const id = fromGlobalOrRawId(ticket.id);
    const states = await withTenant(api.services.db, c.tenant.id, (tx) => tx.ticketState.findMany());
    const stateOf = (type: string) => states.find((s) => s.type === type)!.id;
    const SET_STATE = `mutation($i: SetTicketStateInput!) { setTicketState(input: $i) { __typename ... on Error { message } } }`;
    const set = async (type: string, pendingUntil?: string) =>
      (await api.gql(SET_STATE, { i: { ticketId: ticket.id, stateId: stateOf(type), pendingUntil } }, c.agent.token)).data.setTicketState.__typename;
    expect(await set('PENDING_REMINDER', new Date(Date.now() + 86_400_000).toISOString())).toBe('SetTicketStateSuccess');
    expect(await set('OPEN')).toBe('SetTicketStateSuccess');
    expect((await api.gql(`mutation($i: CloseTicketInput!) { closeTicket(input: $i) { __typename } }`, { i: { ticketId: ticket.id } }, c.agent.token)).data.closeTicket.__typename).toBe('CloseTicketSuccess');
    // move the recorded changes (as written by the use cases) into January: pending 10:00–11:30, closed 13:00
    await withTenant(api.services.db, c.tenant.id, async (tx) => {
      const changes = await tx.ticketHistory.findMany({ where: { ticketId: id, action: 'state_changed' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      expect(changes).toHaveLength(3);
      for (const [i, at] of [JAN(12, 10), JAN(12, 11, 30), JAN(12, 13)].entries()) await tx.ticketHistory.update({ where: { id: changes[i].id }, data: { createdAt: at } });
    });
    await timeline(c, ticket.id, { created: JAN(12, 9), firstResponseMin: 180, closedMin: 240 });
    await refresh(c.tenant.id);
    const fact = await withTenant(api.services.db, c.tenant.id, (tx) => tx.ticketFact.findUniqueOrThrow({ where: { tenantId_ticketId: { tenantId: c.tenant.id, ticketId: id } } }));
    // no calendar anywhere: 24/7 UTC; wall clock minus the 90 pending minutes
    expect([fact.firstResponseMinutes, fact.frBusinessMinutes, fact.resolutionMinutes, fact.resBusinessMinutes]).toEqual([180, 90, 240, 150]);
    const r = await api.gql(`query($from: DateTime!, $to: DateTime!) { analytics(from: $from, to: $to) { tickets { resolution { median } resolutionBusiness { count average } } } }`, range, c.admin.token);
    expect(r.data.analytics.tickets[0].resolutionBusiness).toEqual({ count: 1, average: 150 });
  });
});
