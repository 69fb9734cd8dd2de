import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../../support/factories.ts';

let api: TestApi;
let f: TenantFixture;

const LIST = `query($filter: TicketFilter) { tickets(first: 50, filter: $filter) { edges { node { id number unread customerCompany { id } } } } }`;
const SEEN = `mutation($input: MarkTicketSeenInput!) { markTicketSeen(input: $input) { __typename ... on MarkTicketSeenSuccess { ticket { id unread } } ... on Error { code } } }`;
const VIEW = `mutation($input: RecordTicketViewInput!) { recordTicketView(input: $input) { __typename ... on Error { code } } }`;
const REPLY = `mutation($input: AddArticleInput!) { addArticle(input: $input) { __typename ... on Error { code message } } }`;
const LOCALE = `mutation($input: SetMyLocaleInput!) { setMyLocale(input: $input) { __typename ... on SetMyLocaleSuccess { locale } ... on Error { code } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { viewer { locale } } } }`;

beforeAll(async () => {
  api = await startTestApi();
  f = await createTenantFixture(api);
});
afterAll(() => api.close());

async function unreadOf(token: string, ticketId: string, filter: Record<string, unknown> = {}) {
  const res = await api.gql(LIST, { filter }, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.tickets.edges.find((e: { node: { id: string } }) => e.node.id === ticketId)?.node.unread as boolean | undefined;
}

describe('unread indicator', () => {
  it('is unread until opened, read after, and unread again after new activity (per agent)', async () => {
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Unread me', body: 'Hello' });
    expect(await unreadOf(f.agent.token, t.id)).toBe(true);
    expect((await api.gql(VIEW, { input: { ticketId: t.id } }, f.agent.token)).data.recordTicketView.__typename).toBe('RecordTicketViewSuccess');
    expect(await unreadOf(f.agent.token, t.id)).toBe(false);
    // the other agent's mark is their own
    expect(await unreadOf(f.agent2.token, t.id)).toBe(true);

    await new Promise((r) => setTimeout(r, 5));
    expect((await api.gql(REPLY, { input: { ticketId: t.id, body: 'More info' } }, f.customer.token)).data.addArticle.__typename).toBe('AddArticleSuccess');
    expect(await unreadOf(f.agent.token, t.id)).toBe(true);
    // the web app asks for nothing but the type name (an empty Prisma select must not fail)
    const bare = await api.gql(`mutation($input: MarkTicketSeenInput!) { markTicketSeen(input: $input) { __typename } }`, { input: { ticketId: t.id } }, f.agent.token);
    expect(bare.errors).toBeUndefined();
    expect(bare.data.markTicketSeen.__typename).toBe('MarkTicketSeenSuccess');
    expect(await unreadOf(f.agent.token, t.id)).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    expect((await api.gql(REPLY, { input: { ticketId: t.id, body: 'Even more' } }, f.customer.token)).data.addArticle.__typename).toBe('AddArticleSuccess');
    const seen = await api.gql(SEEN, { input: { ticketId: t.id } }, f.agent.token);
    expect(seen.data.markTicketSeen.ticket.unread).toBe(false);
    expect(await unreadOf(f.agent.token, t.id)).toBe(false);
  });

  it('works for customers in the portal list, apart from the agents\' marks', async () => {
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Customer unread', body: 'Hi' });
    await api.gql(SEEN, { input: { ticketId: t.id } }, f.customer.token);
    expect(await unreadOf(f.customer.token, t.id)).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    expect((await api.gql(REPLY, { input: { ticketId: t.id, body: 'We are on it' } }, f.agent.token)).data.addArticle.__typename).toBe('AddArticleSuccess');
    expect(await unreadOf(f.customer.token, t.id)).toBe(true);
    expect(await unreadOf(f.agent.token, t.id)).toBe(true);
    await api.gql(SEEN, { input: { ticketId: t.id } }, f.customer.token);
    expect(await unreadOf(f.customer.token, t.id)).toBe(false);
  });

  it('a customer sees only what they can see as new: not an internal note, a priority change or a lock; a reply or a closed ticket yes', async () => {
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Quiet changes', body: 'Hi' });
    await api.gql(SEEN, { input: { ticketId: t.id } }, f.customer.token);
    const tick = () => new Promise((r) => setTimeout(r, 5));
    await tick();
    expect((await api.gql(REPLY, { input: { ticketId: t.id, kind: 'NOTE', body: 'internal only' } }, f.agent.token)).data.addArticle.__typename).toBe('AddArticleSuccess');
    const PRIORITIES = `{ priorities { id name } }`;
    const prio = (await api.gql(PRIORITIES, {}, f.agent.token)).data.priorities.find((p: { name: string }) => /high/i.test(p.name));
    const setPrio = await api.gql(`mutation($input: SetTicketPriorityInput!) { setTicketPriority(input: $input) { __typename } }`, { input: { ticketId: t.id, priorityId: prio.id } }, f.agent.token);
    expect(setPrio.data.setTicketPriority.__typename).toBe('SetTicketPrioritySuccess');
    expect((await api.gql(`mutation($input: LockTicketInput!) { lockTicket(input: $input) { __typename } }`, { input: { ticketId: t.id } }, f.agent.token)).data.lockTicket.__typename).toBe('LockTicketSuccess');
    expect(await unreadOf(f.customer.token, t.id)).toBe(false);
    expect(await unreadOf(f.agent2.token, t.id)).toBe(true); // agents see every change

    await tick();
    expect((await api.gql(`mutation($input: CloseTicketInput!) { closeTicket(input: $input) { __typename } }`, { input: { ticketId: t.id } }, f.agent.token)).data.closeTicket.__typename).toBe('CloseTicketSuccess');
    expect(await unreadOf(f.customer.token, t.id)).toBe(true);
    await api.gql(SEEN, { input: { ticketId: t.id } }, f.customer.token);
    expect(await unreadOf(f.customer.token, t.id)).toBe(false);
  });

  it('tenant B cannot mark tenant A\'s ticket seen, and B\'s marks never touch A\'s lists', async () => {
    const g = await createTenantFixture(api);
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'A only', body: 'x' });
    const res = await api.gql(SEEN, { input: { ticketId: t.id } }, g.agent.token);
    expect(res.data.markTicketSeen.code).toBe('NOT_FOUND');
    const byCustomer = await api.gql(SEEN, { input: { ticketId: t.id } }, g.customer.token);
    expect(byCustomer.data.markTicketSeen.code).toBe('NOT_FOUND');
    expect(await unreadOf(g.agent.token, t.id)).toBeUndefined();
    expect(await unreadOf(f.agent.token, t.id)).toBe(true);
    // a customer cannot mark a ticket of another company either
    const other = await api.gql(SEEN, { input: { ticketId: t.id } }, f.stranger.token);
    expect(other.data.markTicketSeen.code).toBe('NOT_FOUND');
  });
});

describe('company filter (customer panel)', () => {
  it('lists the company\'s tickets, and only inside the tenant', async () => {
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Company ticket', body: 'x' });
    const mine = await api.gql(LIST, {}, f.agent.token);
    const companyId = mine.data.tickets.edges.find((e: { node: { id: string } }) => e.node.id === t.id).node.customerCompany.id;
    const res = await api.gql(LIST, { filter: { customerCompanyId: companyId } }, f.agent.token);
    const ids = res.data.tickets.edges.map((e: { node: { id: string; customerCompany: { id: string } } }) => e.node);
    expect(ids.map((n: { id: string }) => n.id)).toContain(t.id);
    for (const n of ids) expect(n.customerCompany.id).toBe(companyId);
    const g = await createTenantFixture(api);
    const foreign = await api.gql(LIST, { filter: { customerCompanyId: companyId } }, g.agent.token);
    expect(foreign.data.tickets.edges).toEqual([]);
  });
});

describe('locale saved per user', () => {
  it('stores the agent\'s and the customer\'s choice and hands it back at sign-in', async () => {
    const a = await api.gql(LOCALE, { input: { locale: 'ru' } }, f.agent.token);
    expect(a.data.setMyLocale.locale).toBe('ru');
    const c = await api.gql(LOCALE, { input: { locale: 'ro' } }, f.customer.token);
    expect(c.data.setMyLocale.locale).toBe('ro');
    const bad = await api.gql(LOCALE, { input: { locale: 'xx' } }, f.agent.token);
    expect(bad.data.setMyLocale.code).toBe('VALIDATION');
    const agentLogin = await api.gql(LOGIN, { input: { tenantSlug: f.slug, email: f.agent.email, password: f.password } });
    expect(agentLogin.data.login.viewer.locale).toBe('ru');
    const customerLogin = await api.gql(LOGIN, { input: { tenantSlug: f.slug, email: f.customer.email, password: f.password } });
    expect(customerLogin.data.login.viewer.locale).toBe('ro');
    // the other agent keeps the tenant default
    const me = await api.gql(`{ me { locale } }`, {}, f.agent2.token);
    expect(me.data.me.locale).toBe('en');
    const anon = await api.gql(LOCALE, { input: { locale: 'de' } });
    expect(anon.data?.setMyLocale?.locale).toBeUndefined();
  });
});
