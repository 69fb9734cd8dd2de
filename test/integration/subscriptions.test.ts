// Live updates over graphql-ws: two API instances share events through Redis pub/sub; tenant,
// queue and customer scoping; authentication in connection_init (sessions and API keys).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { subscribe, wsClient } from '../support/subscribe.ts';

let a: TestApi;
let b: TestApi;
let f: TenantFixture;
let g: TenantFixture;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApi(), startTestApi()]);
  [f, g] = await Promise.all([createTenantFixture(a), createTenantFixture(a)]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

/** The UUID inside a relay global id ("Ticket:<uuid>" in base64). */
const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];
const CHANGED = `subscription($queueId: ID, $ticketId: ID) { ticketChanged(queueId: $queueId, ticketId: $ticketId) {
  kind ticketId queueId articleId changes ticket { number title } } }`;
const ADD_ARTICLE = `mutation($input: AddArticleInput!) { addArticle(input: $input) { __typename ... on Error { code message } } }`;
const note = (ticketId: string, body = 'internal') => ({ input: { ticketId, kind: 'NOTE', body } });
const reply = (ticketId: string, body = 'hello') => ({ input: { ticketId, kind: 'REPLY', body } });

describe('subscriptions across two API instances', () => {
  it('an agent subscribed on instance B sees creates, articles and locks made on instance A', async () => {
    const sub = await subscribe(b.wsUrl, f.agent.token, CHANGED, { queueId: f.queue('Support').id });
    const ticket = await openTicket(a, f.agent2.token, { queueId: f.queue('Support').id, title: 'Printer on fire', body: 'help', customerEmail: f.customer.email });
    const created = (await sub.next()).data.ticketChanged;
    expect(created).toMatchObject({ kind: 'TICKET_CREATED', ticketId: raw(ticket.id), ticket: { number: ticket.number, title: 'Printer on fire' } });

    expect((await a.gql(ADD_ARTICLE, reply(ticket.id), f.agent2.token)).data.addArticle.__typename).toBe('AddArticleSuccess');
    const kinds = [(await sub.next()).data.ticketChanged.kind, (await sub.next()).data.ticketChanged.kind];
    expect(kinds).toEqual(['TICKET_LOCKED', 'ARTICLE_ADDED']);
    await sub.close();
  });

  it('filters by ticket; articleAdded and ticketLocked carry only their kinds', async () => {
    const t1 = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'one', body: 'x' });
    const t2 = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'two', body: 'x' });
    const byTicket = await subscribe(b.wsUrl, f.agent.token, CHANGED, { ticketId: t2.id });
    const articles = await subscribe(b.wsUrl, f.agent.token, 'subscription($t: ID) { articleAdded(ticketId: $t) { kind articleId } }', { t: raw(t1.id) });
    const locks = await subscribe(a.wsUrl, f.agent.token, 'subscription { ticketLocked { kind ticketId } }');
    await a.gql(ADD_ARTICLE, note(t1.id), f.agent.token);
    await a.gql('mutation($i: LockTicketInput!) { lockTicket(input: $i) { __typename } }', { i: { ticketId: t2.id } }, f.agent.token);
    expect((await articles.next()).data.articleAdded).toMatchObject({ kind: 'ARTICLE_ADDED' });
    expect((await byTicket.next()).data.ticketChanged).toMatchObject({ kind: 'TICKET_LOCKED', ticketId: raw(t2.id) });
    expect((await locks.next()).data.ticketLocked).toEqual({ kind: 'TICKET_LOCKED', ticketId: raw(t2.id) });
    expect(await byTicket.quiet()).toBe(true);
    expect(await articles.quiet(0)).toBe(true);
    await Promise.all([byTicket.close(), articles.close(), locks.close()]);
  });

  it('tenant B never receives tenant A\'s events, on either instance', async () => {
    const spies = await Promise.all([
      subscribe(a.wsUrl, g.admin.token, CHANGED), subscribe(b.wsUrl, g.admin.token, CHANGED),
      subscribe(b.wsUrl, g.customer.token, CHANGED), subscribe(a.wsUrl, g.agent.token, 'subscription { escalations { kind } }'),
    ]);
    // tenant A's ticket id used as a filter by tenant B: still nothing
    const t = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'secret', body: 'x', customerEmail: f.customer.email });
    const targeted = await subscribe(b.wsUrl, g.admin.token, CHANGED, { ticketId: t.id });
    await a.gql(ADD_ARTICLE, reply(t.id), f.agent.token);
    await a.gql('mutation($i: CloseTicketInput!) { closeTicket(input: $i) { __typename } }', { i: { ticketId: t.id } }, f.agent.token);
    for (const s of [...spies, targeted]) expect(await s.quiet(300)).toBe(true);
    // ...while tenant B's own events do arrive
    const own = await openTicket(b, g.agent.token, { queueId: g.queue('Support').id, title: 'mine', body: 'x' });
    expect((await spies[1].next()).data.ticketChanged).toMatchObject({ kind: 'TICKET_CREATED', ticketId: raw(own.id) });
    await Promise.all([...spies, targeted].map((s) => s.close()));
  });
});

describe('who receives what', () => {
  it('customers get their own (and, if allowed, their company\'s) tickets, never internal notes or locks', async () => {
    const [mine, colleagues, strangers] = await Promise.all([
      subscribe(a.wsUrl, f.customer.token, CHANGED), subscribe(b.wsUrl, f.colleague.token, CHANGED), subscribe(b.wsUrl, f.stranger.token, CHANGED),
    ]);
    const t = await openTicket(a, f.customer.token, { queueId: f.queue('Support').id, title: 'my issue', body: 'x' });
    await a.gql(ADD_ARTICLE, note(t.id), f.agent.token);
    await a.gql(ADD_ARTICLE, reply(t.id, 'we are on it'), f.agent.token);
    expect((await mine.next()).data.ticketChanged.kind).toBe('TICKET_CREATED');
    const second = (await mine.next()).data.ticketChanged;
    expect(second.kind).toBe('ARTICLE_ADDED');
    expect(second.ticket.title).toBe('my issue');
    expect(await mine.quiet()).toBe(true); // the note and the lock stayed internal
    expect((await colleagues.next()).data.ticketChanged.kind).toBe('TICKET_CREATED');
    expect(await strangers.quiet(0)).toBe(true);
    await Promise.all([mine.close(), colleagues.close(), strangers.close()]);
  });

  it('an agent only gets events of queues they may read; escalations and locks are for agents only', async () => {
    const reader = await subscribe(b.wsUrl, f.reader.token, CHANGED);
    await openTicket(a, f.agent.token, { queueId: f.queue('Billing').id, title: 'invoice', body: 'x' });
    const support = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'support', body: 'x' });
    expect((await reader.next()).data.ticketChanged.ticketId).toBe(raw(support.id));
    expect(await reader.quiet()).toBe(true);
    await reader.close();

    const denied = await subscribe(a.wsUrl, f.customer.token, 'subscription { escalations { kind } }');
    const result = await denied.next();
    expect(JSON.stringify(result.errors)).toMatch(/not allowed/);
    await denied.close();
  });

  it('a partner API key can subscribe; a bad or missing token closes the socket with 4403', async () => {
    const create = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { ... on CreateApiKeySuccess { created { secret } } } }`;
    const key = (await a.gql(create, { i: { name: 'partner', scopes: ['TICKETS_READ'] } }, f.admin.token)).data.createApiKey.created.secret;
    const partner = await subscribe(b.wsUrl, key, CHANGED);
    const t = await openTicket(a, f.agent.token, { queueId: f.queue('Raw').id, title: 'partner sees', body: 'x' });
    expect((await partner.next()).data.ticketChanged.ticketId).toBe(raw(t.id));
    await partner.close();

    for (const token of [null, 'not-a-session-token', 'pk_bogus']) {
      const { client, closed } = wsClient(a.wsUrl, token);
      expect((await closed).code).toBe(4403);
      await client.dispose();
    }
  });

  it('queueCounters sends the working-set counters at once and again after a change', async () => {
    const sub = await subscribe(a.wsUrl, f.admin.token, 'subscription { queueCounters { queueId new open pending } }');
    const first = (await sub.next()).data.queueCounters as Array<{ queueId: string; new: number }>;
    const before = first.find((c) => c.queueId === f.queue('Junk').id)?.new ?? 0;
    await openTicket(b, f.admin.token, { queueId: f.queue('Junk').id, title: 'count me', body: 'x' });
    const second = (await sub.next()).data.queueCounters as Array<{ queueId: string; new: number }>;
    expect(second.find((c) => c.queueId === f.queue('Junk').id)?.new).toBe(before + 1);
    await sub.close();
  });
});
