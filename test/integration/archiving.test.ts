// Archiving (closed for N days -> out of the working views, still searchable), restore on
// follow-up, and retention (dry-run report, then anonymize or delete).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { archiveAllTenants } from '@parley/worker/jobs/archive-tickets/handler.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let f: TenantFixture;
let g: TenantFixture;
const DAY = 86_400_000;
const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];

beforeAll(async () => {
  api = await startTestApi();
  [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(() => api.close());

const POLICY = `mutation($i: RetentionPolicyInput!) { setRetentionPolicy(input: $i) { __typename ... on SetRetentionPolicySuccess { policy { archiveAfterDays retentionMonths retentionAction } } ... on Error { message } } }`;
const LIST = `query($all: Boolean) { tickets(first: 100, filter: { includeArchived: $all }) { edges { node { id number archived } } } }`;
const CLOSE = `mutation($i: CloseTicketInput!) { closeTicket(input: $i) { __typename } }`;

async function closedTicket(title: string, closedDaysAgo: number) {
  const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title, body: `secret details of ${title}` });
  await api.gql(CLOSE, { i: { ticketId: t.id } }, f.agent.token);
  await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticket.update({ where: { id: raw(t.id) }, data: { closedAt: new Date(Date.now() - closedDaysAgo * DAY) } }));
  return t;
}
const numbers = async (token: string, all: boolean) =>
  new Set((await api.gql(LIST, { all }, token)).data.tickets.edges.map((e: { node: { number: string } }) => e.node.number));

describe('archiving', () => {
  it('archives tickets closed longer than the policy says; they leave the working views but stay findable', async () => {
    const p = await api.gql(POLICY, { i: { archiveAfterDays: 30, retentionMonths: 12, retentionAction: 'ANONYMIZE' } }, f.admin.token);
    expect(p.data.setRetentionPolicy.policy).toEqual({ archiveAfterDays: 30, retentionMonths: 12, retentionAction: 'ANONYMIZE' });
    const old = await closedTicket('old', 40);
    const recent = await closedTicket('recent', 5);
    const open = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'open', body: 'x' });
    // tenant B has tickets closed long ago but no policy: untouched
    const gOld = await openTicket(api, g.customer.token, { queueId: g.queue('Support').id, title: 'B old', body: 'x' });
    await api.gql(CLOSE, { i: { ticketId: gOld.id } }, g.agent.token);
    await withTenant(api.services.db, g.tenant.id, (tx) => tx.ticket.update({ where: { id: raw(gOld.id) }, data: { closedAt: new Date(Date.now() - 400 * DAY) } }));

    const result = await archiveAllTenants(api.services);
    expect(result.archived).toBeGreaterThanOrEqual(1);
    const working = await numbers(f.agent.token, false);
    expect(working.has(old.number)).toBe(false);
    expect(working.has(recent.number)).toBe(true);
    expect(working.has(open.number)).toBe(true);
    expect((await numbers(f.agent.token, true)).has(old.number)).toBe(true);
    expect((await numbers(f.customer.token, true)).has(old.number)).toBe(true);
    const byNumber = await api.gql('query($n: String!) { ticket(number: $n) { archived title } }', { n: old.number }, f.agent.token);
    expect(byNumber.data.ticket).toEqual({ archived: true, title: 'old' });
    expect((await numbers(g.agent.token, false)).has(gOld.number)).toBe(true);
    // running it again changes nothing
    const again = await archiveAllTenants(api.services);
    expect((await numbers(f.agent.token, false)).has(recent.number)).toBe(true);
    expect(again.archived).toBe(0);
  });

  it('a customer follow-up restores an archived ticket (unarchived, reopened, history)', async () => {
    const t = await closedTicket('come back', 60);
    await archiveAllTenants(api.services);
    expect((await numbers(f.agent.token, false)).has(t.number)).toBe(false);
    const res = await api.gql(`mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename ... on AddArticleSuccess { result { ticket { archived state { type } } } } } }`,
      { i: { ticketId: t.id, body: 'it broke again' } }, f.customer.token);
    expect(res.data.addArticle.result.ticket).toEqual({ archived: false, state: { type: 'OPEN' } });
    expect((await numbers(f.agent.token, false)).has(t.number)).toBe(true);
    const history = await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticketHistory.findMany({ where: { ticketId: raw(t.id), action: 'unarchived' } }));
    expect(history).toHaveLength(1);
  });
});

describe('retention', () => {
  const REPORT = '{ retentionReport { action count sample cutoff } }';
  const APPLY = `mutation($n: Int!) { applyRetention(expectedCount: $n) { __typename ... on ApplyRetentionSuccess { result { affected } } ... on Error { code message } } }`;

  it('shows a dry run first, refuses a stale count, then anonymizes only what the report showed', async () => {
    const ancient = await closedTicket('ancient with personal data', 400);
    const report = (await api.gql(REPORT, {}, f.admin.token)).data.retentionReport;
    expect(report.action).toBe('ANONYMIZE');
    expect(report.sample).toContain(ancient.number);
    expect(report.count).toBe(report.sample.length);
    expect((await api.gql(APPLY, { n: report.count + 1 }, f.admin.token)).data.applyRetention.__typename).toBe('ConflictError');
    const applied = await api.gql(APPLY, { n: report.count }, f.admin.token);
    expect(applied.data.applyRetention.result.affected).toBe(report.count);
    const row = await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticket.findUniqueOrThrow({ where: { id: raw(ancient.id) }, include: { articles: true } }));
    expect(row.title).toBe('[anonymized]');
    expect(row.customerUserId).toBeNull();
    expect(row.articles.every((a) => a.bodyText === '[anonymized]')).toBe(true);
    expect((await api.gql(REPORT, {}, f.admin.token)).data.retentionReport.count).toBe(0);
    // a recent closed ticket kept its content
    const recent = await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticket.findFirstOrThrow({ where: { title: 'recent' } }));
    expect(recent.title).toBe('recent');
  });

  it('DELETE removes the tickets; tenant B sees neither A\'s policy nor its report; agents cannot use it', async () => {
    await api.gql(POLICY, { i: { retentionMonths: 6, retentionAction: 'DELETE' } }, g.admin.token);
    const bReport = (await api.gql(REPORT, {}, g.admin.token)).data.retentionReport;
    expect(bReport.action).toBe('DELETE');
    expect(bReport.count).toBe(1); // its own old ticket only, none of tenant A's
    expect((await api.gql(APPLY, { n: 1 }, g.admin.token)).data.applyRetention.result.affected).toBe(1);
    expect(await withTenant(api.services.db, g.tenant.id, (tx) => tx.ticket.count({ where: { title: 'B old' } }))).toBe(0);
    expect((await api.gql('{ retentionPolicy { retentionAction } }', {}, g.admin.token)).data.retentionPolicy.retentionAction).toBe('DELETE');
    expect((await api.gql('{ retentionPolicy { retentionAction } }', {}, f.admin.token)).data.retentionPolicy.retentionAction).toBe('ANONYMIZE');
    expect((await api.gql(REPORT, {}, f.agent.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
