// Pending reminders, pending auto-close and idle lock expiry (the every-minute timers job's use case).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { runTicketTimers } from '@parley/api/tickets/ticket-timers.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { subscribe } from '../support/subscribe.ts';

let api: TestApi;
let f: TenantFixture;
const raw = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];
const run = (now = new Date()) => runTicketTimers(api.services.db, api.services.systemDb, api.services.events, now);
const db = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(api.services.db, f.tenant.id, fn);

beforeAll(async () => {
  api = await startTestApi();
  f = await createTenantFixture(api);
});
afterAll(() => api.close());

const SET_STATE = `mutation($i: SetTicketStateInput!) { setTicketState(input: $i) { __typename ... on Error { message } } }`;
const LOCK = `mutation($i: LockTicketInput!) { lockTicket(input: $i) { __typename } }`;
const stateId = (type: string) => db((tx) => tx.ticketState.findFirstOrThrow({ where: { type: type as never } })).then((s) => s.id);

it('reminds the owner once when a pending reminder is due, live and as a notification', async () => {
  const t = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'call back', body: 'x' });
  await api.gql(LOCK, { i: { ticketId: t.id } }, f.agent.token); // the agent becomes owner
  const until = new Date(Date.now() + 60_000);
  expect((await api.gql(SET_STATE, { i: { ticketId: t.id, stateId: await stateId('PENDING_REMINDER'), pendingUntil: until.toISOString() } }, f.agent.token)).data.setTicketState.__typename).toBe('SetTicketStateSuccess');
  const sub = await subscribe(api.wsUrl, f.agent.token, `subscription($t: ID) { ticketChanged(ticketId: $t) { kind } }`, { t: t.id });
  expect((await run()).reminded).toBe(0); // not yet
  const later = new Date(until.getTime() + 1000);
  expect((await run(later)).reminded).toBeGreaterThanOrEqual(1);
  expect((await sub.next()).data.ticketChanged.kind).toBe('PENDING_REMINDER');
  await run(later);
  const notes = await db((tx) => tx.agentNotification.findMany({ where: { ticketId: raw(t.id), kind: 'pending_reminder' } }));
  expect(notes.map((n) => n.userId)).toEqual([f.agent.id]); // once, to the owner
  await sub.close();
});

it('closes a pending auto-close ticket when due', async () => {
  const t = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'wait for customer', body: 'x' });
  const until = new Date(Date.now() + 60_000);
  await api.gql(SET_STATE, { i: { ticketId: t.id, stateId: await stateId('PENDING_AUTO_CLOSE'), pendingUntil: until.toISOString() } }, f.agent.token);
  await run();
  expect((await db((tx) => tx.ticket.findUniqueOrThrow({ where: { id: raw(t.id) }, include: { state: true } }))).state.type).toBe('PENDING_AUTO_CLOSE');
  expect((await run(new Date(until.getTime() + 1))).closed).toBeGreaterThanOrEqual(1);
  const row = await db((tx) => tx.ticket.findUniqueOrThrow({ where: { id: raw(t.id) }, include: { state: true } }));
  expect(row.state.type).toBe('CLOSED');
  expect(row.closedAt).not.toBeNull();
});

it('releases a lock after the queue\'s unlock timeout when the holder did nothing, not before', async () => {
  await db((tx) => tx.queue.update({ where: { id: f.queue('Billing').id }, data: { unlockTimeoutMinutes: 30 } }));
  const idle = await openTicket(api, f.agent.token, { queueId: f.queue('Billing').id, title: 'idle', body: 'x' });
  const busy = await openTicket(api, f.agent.token, { queueId: f.queue('Billing').id, title: 'busy', body: 'x' });
  for (const t of [idle, busy]) await api.gql(LOCK, { i: { ticketId: t.id } }, f.agent.token);
  const ago = new Date(Date.now() - 40 * 60_000);
  await db((tx) => tx.ticket.updateMany({ where: { id: { in: [raw(idle.id), raw(busy.id)] } }, data: { lockedAt: ago } }));
  await db((tx) => tx.ticketHistory.updateMany({ where: { ticketId: raw(idle.id) }, data: { createdAt: ago } }));
  await db((tx) => tx.article.updateMany({ where: { ticketId: { in: [raw(idle.id), raw(busy.id)] } }, data: { createdAt: ago } }));
  // the holder of "busy" wrote a note 10 minutes ago: still working on it
  await api.gql(`mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename } }`, { i: { ticketId: busy.id, kind: 'NOTE', body: 'working' } }, f.agent.token);
  await db((tx) => tx.ticketHistory.updateMany({ where: { ticketId: raw(busy.id), action: { not: 'article_added' } }, data: { createdAt: ago } }));
  await run();
  const rows = await db((tx) => tx.ticket.findMany({ where: { id: { in: [raw(idle.id), raw(busy.id)] } } }));
  expect(rows.find((r) => r.title === 'idle')!.lockedById).toBeNull();
  expect(rows.find((r) => r.title === 'busy')!.lockedById).toBe(f.agent.id);
});
