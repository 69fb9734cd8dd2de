// Ratings of each agent reply (mail link without login, portal) and of solved tickets; bad
// ratings notify the owner and may reopen; who reads which ratings; tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { createRatingLink } from '@parley/api/ratings/rating-links.ts';
import { fromGlobalOrRawId } from '@parley/api/graphql/ids.ts';
import { startTestApi, type TestApi } from '../../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../../support/factories.ts';

let api: TestApi;
beforeAll(async () => { api = await startTestApi(); });
afterAll(() => api.close());

const REPLY = `mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename ... on AddArticleSuccess { result { article { id } } } } }`;
const BY_TOKEN = `mutation($t: String!, $s: Int!, $c: String) { rateByToken(token: $t, score: $s, comment: $c) {
  __typename ... on RateByTokenSuccess { result { reopened rating { score comment via target agentId } } } ... on Error { code message } } }`;
const RATE_REPLY = `mutation($a: ID!, $s: Int!, $c: String) { rateReply(articleId: $a, score: $s, comment: $c) {
  __typename ... on RateReplySuccess { result { rating { id score } } } ... on Error { code message } } }`;
const RATE_TICKET = `mutation($t: ID!, $s: Int!) { rateTicket(ticketId: $t, score: $s) {
  __typename ... on RateTicketSuccess { result { reopened rating { target score agentId } } } ... on Error { code message } } }`;
const HISTORY = `query($n: String!) { ticket(number: $n) { state { type } history(first: 50) { edges { node { action field newValue } } } } }`;

async function repliedTicket(f: TenantFixture, agent = f.agent) {
  const ticket = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'help', body: 'x' });
  const r = await api.gql(REPLY, { i: { ticketId: ticket.id, body: 'Here is the answer' } }, agent.token);
  return { ticket, articleId: r.data.addArticle.result.article.id as string };
}

const link = (f: TenantFixture, articleId: string, opts = {}) =>
  withTenant(api.services.db, f.tenant.id, (tx) => createRatingLink(tx, fromGlobalOrRawId(articleId), { baseUrl: 'https://help.example', ...opts }));

describe('rating a reply through its mail link (no login)', () => {
  it('rates once; the token is single-use, stored only as a hash, and names the reply\'s agent', async () => {
    const f = await createTenantFixture(api);
    const { articleId } = await repliedTicket(f);
    const l = await link(f, articleId);
    expect(l.url).toBe(`https://help.example/rate/${l.token}`);
    expect(l.scoreUrls.map((s) => s.score)).toEqual([5, 4, 3, 2, 1]);
    const r = await api.gql(BY_TOKEN, { t: l.token, s: 4, c: 'quick and clear' });
    expect(r.data.rateByToken).toEqual({ __typename: 'RateByTokenSuccess', result: { reopened: false, rating: { score: 4, comment: 'quick and clear', via: 'MAIL_LINK', target: 'REPLY', agentId: f.agent.id } } });
    expect((await api.gql(BY_TOKEN, { t: l.token, s: 1 })).data.rateByToken.code).toBe('CONFLICT');
    const stored = await api.services.systemDb.ratingToken.findMany({ where: { articleId: fromGlobalOrRawId(articleId) } });
    expect(JSON.stringify(stored)).not.toContain(l.token);
    // one token came with the reply's mail, one was made here; only this one is spent
    expect(stored.filter((t) => t.usedAt !== null)).toHaveLength(1);
  });

  it('two concurrent uses of one link: exactly one rating', async () => {
    const f = await createTenantFixture(api);
    const { articleId } = await repliedTicket(f);
    const l = await link(f, articleId);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => api.gql(BY_TOKEN, { t: l.token, s: i + 1 })));
    expect(results.filter((r) => r.data.rateByToken.__typename === 'RateByTokenSuccess')).toHaveLength(1);
    expect(await withTenant(api.services.db, f.tenant.id, (tx) => tx.rating.count({ where: { articleId: fromGlobalOrRawId(articleId) } }))).toBe(1);
  });

  it('refuses expired, unknown and out-of-range ratings clearly', async () => {
    const f = await createTenantFixture(api);
    const { articleId } = await repliedTicket(f);
    const old = await link(f, articleId, { now: new Date(Date.now() - 31 * 86_400_000) });
    expect((await api.gql(BY_TOKEN, { t: old.token, s: 5 })).data.rateByToken).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/expired/) });
    expect((await api.gql(BY_TOKEN, { t: 'rt_nonsense', s: 5 })).data.rateByToken.code).toBe('NOT_FOUND');
    const fresh = await link(f, articleId);
    expect((await api.gql(BY_TOKEN, { t: fresh.token, s: 9 })).data.rateByToken.code).toBe('VALIDATION');
    expect((await api.gql(BY_TOKEN, { t: fresh.token, s: 5 })).data.rateByToken.__typename).toBe('RateByTokenSuccess');
  });

  it('good/bad tenants get two links and accept only 5 or 1', async () => {
    const f = await createTenantFixture(api);
    await api.gql(`mutation { updateBillingSettings(input: { ratingScale: GOOD_BAD }) { __typename } }`, {}, f.admin.token);
    const { articleId } = await repliedTicket(f);
    const l = await link(f, articleId);
    expect(l.scoreUrls.map((s) => s.label)).toEqual(['good', 'bad']);
    expect((await api.gql(BY_TOKEN, { t: l.token, s: 3 })).data.rateByToken.code).toBe('VALIDATION');
    expect((await api.gql(BY_TOKEN, { t: l.token, s: 1 })).data.rateByToken.__typename).toBe('RateByTokenSuccess');
  });

  it('ratingLink tells the public page whether a link works, and the scale, without spending it', async () => {
    const f = await createTenantFixture(api);
    const { articleId } = await repliedTicket(f);
    const q = `query($t: String!) { ratingLink(token: $t) { status scale } }`;
    const l = await link(f, articleId);
    expect((await api.gql(q, { t: l.token })).data.ratingLink).toEqual({ status: 'VALID', scale: 'FIVE_STARS' });
    expect((await api.gql(q, { t: l.token })).data.ratingLink.status).toBe('VALID'); // asking twice spends nothing
    expect((await api.gql(BY_TOKEN, { t: l.token, s: 5 })).data.rateByToken.__typename).toBe('RateByTokenSuccess');
    expect((await api.gql(q, { t: l.token })).data.ratingLink.status).toBe('USED');
    expect((await api.gql(q, { t: 'rt_nonsense' })).data.ratingLink).toEqual({ status: 'INVALID', scale: null });
    const old = await link(f, articleId, { now: new Date(Date.now() - 31 * 86_400_000) });
    expect((await api.gql(q, { t: old.token })).data.ratingLink.status).toBe('EXPIRED');
    await api.gql(`mutation { updateBillingSettings(input: { ratingScale: GOOD_BAD }) { __typename } }`, {}, f.admin.token);
    expect((await api.gql(q, { t: (await link(f, articleId)).token })).data.ratingLink.scale).toBe('GOOD_BAD');
    expect((await api.gql(`{ ratingScale }`, {}, f.customer.token)).data.ratingScale).toBe('GOOD_BAD');
    expect((await api.gql(`{ ratingScale }`, {})).data?.ratingScale ?? null).toBeNull(); // not public
  });

  it('only agent replies the customer sees get links', async () => {
    const f = await createTenantFixture(api);
    const ticket = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'x', body: 'x' });
    const note = await api.gql(REPLY, { i: { ticketId: ticket.id, body: 'internal', kind: 'NOTE' } }, f.agent.token);
    await expect(link(f, note.data.addArticle.result.article.id)).rejects.toThrow(/Only agent replies/);
  });
});

describe('rating in the portal', () => {
  it('rates each reply (again changes it), not customer articles, and a solved ticket', async () => {
    const f = await createTenantFixture(api);
    const { ticket, articleId } = await repliedTicket(f);
    const second = (await api.gql(REPLY, { i: { ticketId: ticket.id, body: 'more' } }, f.agent.token)).data.addArticle.result.article.id;
    expect((await api.gql(RATE_REPLY, { a: articleId, s: 5 }, f.customer.token)).data.rateReply.__typename).toBe('RateReplySuccess');
    expect((await api.gql(RATE_REPLY, { a: articleId, s: 3, c: 'on reflection' }, f.customer.token)).data.rateReply.result.rating.score).toBe(3);
    expect((await api.gql(RATE_REPLY, { a: second, s: 4 }, f.customer.token)).data.rateReply.__typename).toBe('RateReplySuccess');
    const mine = await withTenant(api.services.db, f.tenant.id, (tx) => tx.article.findFirstOrThrow({ where: { ticketId: fromGlobalOrRawId(ticket.id), senderType: 'CUSTOMER' } }));
    expect((await api.gql(RATE_REPLY, { a: mine.id, s: 5 }, f.customer.token)).data.rateReply.code).toBe('VALIDATION');
    expect((await api.gql(RATE_REPLY, { a: articleId, s: 5 }, f.stranger.token)).data.rateReply.code).toBe('NOT_FOUND');
    expect((await api.gql(RATE_REPLY, { a: articleId, s: 5 }, f.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(RATE_TICKET, { t: ticket.id, s: 5 }, f.customer.token)).data.rateTicket.code).toBe('VALIDATION');
    await api.gql(`mutation($i: CloseTicketInput!) { closeTicket(input: $i) { __typename } }`, { i: { ticketId: ticket.id } }, f.agent.token);
    expect((await api.gql(RATE_TICKET, { t: ticket.id, s: 5 }, f.customer.token)).data.rateTicket.result).toMatchObject({ reopened: false, rating: { target: 'TICKET', score: 5 } });
    const ratings = (await api.gql('{ ratings { target score } }', {}, f.customer.token)).data.ratings;
    expect(ratings).toHaveLength(3);
  });

  it('a bad rating notifies the owner (history) and reopens a solved ticket when the tenant wants it', async () => {
    const f = await createTenantFixture(api);
    await api.gql(`mutation { updateBillingSettings(input: { badRatingReopens: true }) { __typename } }`, {}, f.admin.token);
    const { ticket } = await repliedTicket(f);
    await api.gql(`mutation($i: AssignTicketInput!) { assignTicket(input: $i) { __typename } }`, { i: { ticketId: ticket.id, ownerId: f.agent.id } }, f.agent.token);
    await api.gql(`mutation($i: CloseTicketInput!) { closeTicket(input: $i) { __typename } }`, { i: { ticketId: ticket.id } }, f.agent.token);
    const r = await api.gql(RATE_TICKET, { t: ticket.id, s: 1 }, f.customer.token);
    expect(r.data.rateTicket.result).toMatchObject({ reopened: true, rating: { score: 1, agentId: f.agent.id } });
    const t = (await api.gql(HISTORY, { n: ticket.number }, f.agent.token)).data.ticket;
    expect(t.state.type).toBe('OPEN');
    expect(t.history.edges.map((e: any) => e.node)).toContainEqual({ action: 'bad_rating', field: 'owner', newValue: f.agent.id });
  });

  it('a bad rating creates one in-app notification for the ticket owner (not the other agents)', async () => {
    const f = await createTenantFixture(api);
    const NOTES = '{ myNotifications { kind message ticketId } }';
    const { ticket, articleId } = await repliedTicket(f);
    await api.gql(`mutation($i: AssignTicketInput!) { assignTicket(input: $i) { __typename } }`, { i: { ticketId: ticket.id, ownerId: f.agent2.id } }, f.agent.token);
    const l = await link(f, articleId);
    const res = await api.gql(BY_TOKEN, { t: l.token, s: 2 });
    expect(res.data.rateByToken.__typename).toBe('RateByTokenSuccess');
    const owner = (await api.gql(NOTES, {}, f.agent2.token)).data.myNotifications;
    expect(owner).toHaveLength(1);
    expect(owner[0].kind).toBe('bad_rating');
    expect(owner[0].message).toContain(ticket.number);
    expect(owner[0].message).toContain('2/5');
    expect(fromGlobalOrRawId(owner[0].ticketId)).toBe(fromGlobalOrRawId(ticket.id));
    // the reply's author is not the owner: no notification for them
    expect((await api.gql(NOTES, {}, f.agent.token)).data.myNotifications).toEqual([]);
    // rating it bad again (portal) does not notify twice; a good rating never notifies
    expect((await api.gql(RATE_REPLY, { a: articleId, s: 1 }, f.customer.token)).data.rateReply.__typename).toBe('RateReplySuccess');
    expect((await api.gql(RATE_REPLY, { a: articleId, s: 5 }, f.customer.token)).data.rateReply.__typename).toBe('RateReplySuccess');
    expect((await api.gql(NOTES, {}, f.agent2.token)).data.myNotifications).toHaveLength(1);
  });
});

describe('who reads ratings', () => {
  it('agents see their own, admins and partner API keys all; tenant B sees nothing of A and cannot rate A\'s replies', async () => {
    const [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
    const one = await repliedTicket(a, a.agent);
    const two = await repliedTicket(a, a.agent2);
    await api.gql(RATE_REPLY, { a: one.articleId, s: 5 }, a.customer.token);
    await api.gql(RATE_REPLY, { a: two.articleId, s: 2 }, a.customer.token);
    const Q = '{ ratings { agentId score } }';
    expect((await api.gql(Q, {}, a.agent.token)).data.ratings).toEqual([{ agentId: a.agent.id, score: 5 }]);
    expect((await api.gql(Q, {}, a.agent2.token)).data.ratings).toEqual([{ agentId: a.agent2.id, score: 2 }]);
    expect((await api.gql(Q, {}, a.admin.token)).data.ratings).toHaveLength(2);
    const key = (await api.gql(`mutation { createApiKey(input: { name: "bi", scopes: [TICKETS_READ] }) { ... on CreateApiKeySuccess { created { secret } } } }`, {}, a.admin.token)).data.createApiKey.created.secret;
    expect((await api.gql(Q, {}, key)).data.ratings).toHaveLength(2);
    for (const token of [b.admin.token, b.agent.token, b.customer.token]) {
      expect((await api.gql(Q, {}, token)).data.ratings).toEqual([]);
    }
    expect((await api.gql(RATE_REPLY, { a: one.articleId, s: 1 }, b.customer.token)).data.rateReply.code).toBe('NOT_FOUND');
    expect((await api.gql(RATE_TICKET, { t: one.ticket.id, s: 1 }, b.customer.token)).data.rateTicket.code).toBe('NOT_FOUND');
    expect((await api.gql(Q, {}, a.agent.token)).data.ratings).toEqual([{ agentId: a.agent.id, score: 5 }]);
  });
});
