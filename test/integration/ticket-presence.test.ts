// Collision warning: agents announce that they have a ticket open (VIEWING / REPLYING) and
// subscribe to who else is there. Redis entries with a TTL; tenant- and queue-scoped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { subscribe } from '../support/subscribe.ts';
import { presenceKey, presenceStore } from '../../api/src/presence/presence-store.ts';
import { presenceRateLimit } from '../../api/src/presence/presence-rate-limit.ts';
import { announceTicketPresence } from '../../api/src/presence/ticket-presence.ts';
import { RateLimitedError } from '../../api/src/errors/app-error.ts';

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

const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];
const ANNOUNCE = `mutation($input: AnnounceTicketPresenceInput!) { announceTicketPresence(input: $input) {
  __typename ... on AnnounceTicketPresenceSuccess { presence { agentId name activity } } ... on Error { code } } }`;
const LEAVE = `mutation($t: ID!) { leaveTicketPresence(ticketId: $t) {
  __typename ... on LeaveTicketPresenceSuccess { presence { agentId name activity } } ... on Error { code } } }`;
const PRESENCE = `subscription($t: ID!) { ticketPresence(ticketId: $t) { agentId name activity } }`;
const announce = async (api: TestApi, token: string, ticketId: string, activity = 'VIEWING') =>
  (await api.gql(ANNOUNCE, { input: { ticketId, activity } }, token)).data?.announceTicketPresence;
const names = (list: Array<{ name: string; activity: string }>) => list.map((p) => `${p.name}:${p.activity}`).sort();

describe('ticket presence', () => {
  it('two agents on one ticket see each other, across API instances, with activity changes and departures', async () => {
    const t = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'Collision', body: 'x' });
    const first = await announce(a, f.agent.token, t.id);
    expect(first.__typename).toBe('AnnounceTicketPresenceSuccess');
    expect(names(first.presence)).toEqual(['Alice Agent:VIEWING']);

    const sub = await subscribe(b.wsUrl, f.agent.token, PRESENCE, { t: t.id });
    expect(names((await sub.next()).data.ticketPresence)).toEqual(['Alice Agent:VIEWING']);

    const both = await announce(a, f.agent2.token, t.id);
    expect(names(both.presence)).toEqual(['Alice Agent:VIEWING', 'Bob Agent:VIEWING']);
    expect(names((await sub.next()).data.ticketPresence)).toEqual(['Alice Agent:VIEWING', 'Bob Agent:VIEWING']);

    // a heartbeat with the same activity is not a change
    await announce(a, f.agent2.token, t.id);
    expect(await sub.quiet(500)).toBe(true);

    await announce(a, f.agent2.token, raw(t.id), 'REPLYING');
    const replying = (await sub.next()).data.ticketPresence;
    expect(names(replying)).toEqual(['Alice Agent:VIEWING', 'Bob Agent:REPLYING']);
    expect(replying.find((p: { name: string }) => p.name === 'Bob Agent').agentId).toBe(f.agent2.id);

    const left = (await a.gql(LEAVE, { t: t.id }, f.agent2.token)).data.leaveTicketPresence;
    expect(names(left.presence)).toEqual(['Alice Agent:VIEWING']);
    expect(names((await sub.next()).data.ticketPresence)).toEqual(['Alice Agent:VIEWING']);
    await sub.close();
  });

  it('entries expire without heartbeats (stored per tenant and ticket, with a key TTL)', async () => {
    const t = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'TTL', body: 'x' });
    await announce(a, f.agent.token, t.id);
    const key = presenceKey(f.tenant.id, raw(t.id));
    const ttl = await a.services.redis.pttl(key);
    expect(ttl).toBeGreaterThan(40_000);
    expect(ttl).toBeLessThanOrEqual(45_000);
    const store = presenceStore(a.services.redis);
    expect((await store.list(f.tenant.id, raw(t.id))).map((e) => e.userId)).toEqual([f.agent.id]);
    // 46 s later the entry no longer counts and is removed by the reader
    expect(await store.list(f.tenant.id, raw(t.id), Date.now() + 46_000)).toEqual([]);
    expect(await a.services.redis.hlen(key)).toBe(0);
  });

  it('needs read access to the ticket\'s queue: the reader sees Support, not Billing; customers never', async () => {
    const support = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'support', body: 'x' });
    const billing = await openTicket(a, f.agent.token, { queueId: f.queue('Billing').id, title: 'billing', body: 'x', customerEmail: f.customer.email });
    expect((await announce(a, f.reader.token, support.id)).__typename).toBe('AnnounceTicketPresenceSuccess');
    expect(await announce(a, f.reader.token, billing.id)).toMatchObject({ __typename: 'NotFoundError' });
    expect((await a.gql(LEAVE, { t: billing.id }, f.reader.token)).data.leaveTicketPresence.__typename).toBe('NotFoundError');
    const denied = await subscribe(a.wsUrl, f.reader.token, PRESENCE, { t: billing.id });
    const r = await denied.next();
    expect(r.data?.ticketPresence ?? null).toBeNull();
    expect(JSON.stringify(r.errors)).toMatch(/not found|NOT_FOUND/i);
    await denied.close();

    // customers (even the ticket's own) are not agents
    const res = await a.gql(ANNOUNCE, { input: { ticketId: billing.id, activity: 'VIEWING' } }, f.customer.token);
    expect(res.data?.announceTicketPresence ?? null).toBeNull();
    expect(res.errors?.length).toBeGreaterThan(0);
    // nobody but Alice's test helpers wrote to Billing's presence
    expect(await presenceStore(a.services.redis).list(f.tenant.id, raw(billing.id))).toEqual([]);
  });

  it('tenant B cannot see or touch tenant A\'s presence', async () => {
    const t = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'secret', body: 'x' });
    await announce(a, f.agent.token, t.id);
    // tenant B's admin (may read every queue of B) names tenant A's ticket
    expect(await announce(a, g.admin.token, t.id)).toMatchObject({ __typename: 'NotFoundError' });
    expect((await a.gql(LEAVE, { t: t.id }, g.admin.token)).data.leaveTicketPresence.__typename).toBe('NotFoundError');
    const spy = await subscribe(b.wsUrl, g.admin.token, PRESENCE, { t: t.id });
    expect((await spy.next()).errors?.length).toBeGreaterThan(0);
    await spy.close();
    // tenant B's own ticket: its subscriber never hears of tenant A's agents
    const own = await openTicket(a, g.agent.token, { queueId: g.queue('Support').id, title: 'mine', body: 'x' });
    const mine = await subscribe(b.wsUrl, g.agent.token, PRESENCE, { t: own.id });
    expect((await mine.next()).data.ticketPresence).toEqual([]);
    await announce(a, f.agent2.token, t.id, 'REPLYING');
    expect(await mine.quiet(500)).toBe(true);
    // and tenant A's entry is still only Alice and Bob
    expect(names((await announce(a, f.agent.token, t.id)).presence)).toEqual(['Alice Agent:VIEWING', 'Bob Agent:REPLYING']);
    await mine.close();
  });

  it('announcements are rate limited per agent (RateLimitedError), other agents unaffected', async () => {
    const t = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'flood', body: 'x' });
    const points = 3 + Math.floor(Math.random() * 1000); // own limiter key space per run
    const ctx = (userId: string) => ({
      db: a.services.db, store: presenceStore(a.services.redis), signal: () => {}, limit: presenceRateLimit(a.services.redis, points),
      viewer: { kind: 'agent' as const, tenantId: f.tenant.id, userId, isAdmin: false, apiKey: null, sessionId: null },
    });
    for (let i = 0; i < points; i++) await announceTicketPresence(ctx(f.agent.id), raw(t.id), 'VIEWING');
    await expect(announceTicketPresence(ctx(f.agent.id), raw(t.id), 'VIEWING')).rejects.toBeInstanceOf(RateLimitedError);
    expect((await announceTicketPresence(ctx(f.agent2.id), raw(t.id), 'VIEWING')).map((e) => e.userId).sort()).toEqual([f.agent.id, f.agent2.id].sort());
    // the GraphQL mutation lists RateLimitedError in its union
    const res = await a.gql('{ __type(name: "AnnounceTicketPresenceResult") { possibleTypes { name } } }', {}, f.agent.token);
    expect(res.data.__type.possibleTypes.map((p: { name: string }) => p.name)).toContain('RateLimitedError');
  });
});
