// The mail pipeline publishes the same ticket events as the API after commit, so the worker's
// ticket-event job gives mail tickets SLA deadlines and automatic assignment, live views update,
// and an archived ticket comes back on a follow-up or a change to a working state.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { storeRawMail } from '@parley/api/mail/inbound/store-raw-mail.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { setTicketState } from '@parley/api/tickets/update-ticket.ts';
import { closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { ticketEventJob } from '@parley/worker/jobs/ticket-event/definition.ts';
import { slaEscalationJob } from '@parley/worker/jobs/sla-escalation/definition.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { mail, setMailSettings, startMailTestApi, waitUntil } from '../support/mail.ts';
import { subscribe, type Subscription } from '../support/subscribe.ts';
import { agentViewer, setUpSla, ticketRow } from '../support/sla.ts';
import type { TestApi } from '../support/api.ts';

const prefix = `ev${randomBytes(4).toString('hex')}`;
const CHANGED = 'subscription($t: ID) { ticketChanged(ticketId: $t) { kind ticketId articleId changes } }';
const SET_AUTO = `mutation($q: ID!, $s: AutoAssignStrategy) { setQueueAutoAssign(queueId: $q, strategy: $s) { __typename } }`;
let api: TestApi;
let running: RunningWorkers;
let f: TenantFixture;
const subs: Subscription[] = [];

beforeAll(async () => {
  api = await startMailTestApi({ QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'true' });
  running = await runWorkers(api.services, [ticketEventJob, slaEscalationJob], { prefix });
  f = await createTenantFixture(api);
  await setMailSettings(api, f.tenant.id, { notifyAgents: false, defaultQueueId: f.queue('Support').id });
  await setUpSla(api, f, { firstResponseMinutes: 60 });
  expect((await api.gql(SET_AUTO, { q: f.queue('Support').id, s: 'ROUND_ROBIN' }, f.admin.token)).data.setQueueAutoAssign.__typename).toBe('SetQueueAutoAssignSuccess');
});
afterAll(async () => {
  for (const s of subs) await s.close();
  await running.close();
  await closeQueues();
  await api.close();
});

async function receive(raw: Buffer) {
  const stored = await storeRawMail(api.services, { tenantId: f.tenant.id, source: 'HTTP', raw, recipients: [`support@${f.slug}.localhost`] });
  return ingestMail(api.services, f.tenant.id, stored.id);
}
const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(api.services.db, f.tenant.id, fn);
const watch = async () => { const s = await subscribe(api.wsUrl, f.agent.token, CHANGED); subs.push(s); return s; };
/** The next events of one ticket, in order, until `until` kinds have been seen. */
async function eventsOf(sub: Subscription, ticketId: string, until: string[], ms = 15_000) {
  const seen: Array<{ kind: string; ticketId: string; articleId: string | null; changes: string[] | null }> = [];
  while (!until.every((k) => seen.some((e) => e.kind === k))) {
    const e = (await sub.next(ms)).data!.ticketChanged;
    if (e.ticketId === ticketId) seen.push(e);
  }
  return seen;
}

async function closeAndArchive(ticketId: string) {
  const closed = await tx((t) => t.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } }));
  await tx((t) => t.ticket.update({ where: { id: ticketId }, data: { stateId: closed.id, closedAt: new Date(), archived: true, lockedById: null, firstResponseDueAt: null, escalationAt: null } }));
}

describe('events from the mail pipeline', () => {
  it('a new ticket by mail is published (TICKET_CREATED): the worker assigns it and sets its SLA deadline', async () => {
    const sub = await watch();
    const r = await receive(mail({ from: 'lea@cust.example', to: `support@${f.slug}.localhost`, subject: 'Mail ticket with SLA' }).raw);
    expect(r.outcome).toBe('new-ticket');
    const created = await tx((t) => t.ticket.findUniqueOrThrow({ where: { id: r.ticketId! } }));
    expect(created.queueId).toBe(f.queue('Support').id);
    const seen = await eventsOf(sub, r.ticketId!, ['TICKET_CREATED', 'TICKET_UPDATED']);
    expect(seen[0].kind).toBe('TICKET_CREATED');
    expect(seen.find((e) => e.kind === 'TICKET_UPDATED')!.changes).toEqual(['owner']); // auto-assignment by the ticket-event job
    const row = await waitUntil(async () => { const t = await ticketRow(api, f, r.ticketId!); return t.firstResponseDueAt && t.ownerId ? t : null; }, 15_000, 'deadline and owner');
    expect(row.firstResponseDueAt!.getTime()).toBe(created.createdAt.getTime() + 60 * 60_000);
    expect(await tx((t) => t.ticketHistory.count({ where: { ticketId: r.ticketId!, action: 'owner_changed', newValue: row.ownerId } }))).toBe(1);
  });

  it('a follow-up by mail is published as ARTICLE_ADDED with its article', async () => {
    const first = await receive(mail({ from: 'max@cust.example', to: `support@${f.slug}.localhost`, subject: 'First' }).raw);
    const ticket = await tx((t) => t.ticket.findUniqueOrThrow({ where: { id: first.ticketId! } }));
    const sub = await watch();
    const fu = await receive(mail({ from: 'max@cust.example', to: 'x@y.example', subject: `Re: [Ticket#${ticket.number}] First` }).raw);
    expect(fu).toMatchObject({ outcome: 'follow-up:ticket-number', ticketId: ticket.id });
    const seen = await eventsOf(sub, ticket.id, ['ARTICLE_ADDED']);
    expect(seen.find((e) => e.kind === 'ARTICLE_ADDED')!.articleId).toBe(fu.articleId);
    expect(seen.some((e) => e.kind === 'TICKET_CREATED')).toBe(false);
  });

  it('a follow-up by mail to an archived closed ticket restores and reopens it, publishes the change, and the SLA clock runs again', async () => {
    const first = await receive(mail({ from: 'nia@cust.example', to: `support@${f.slug}.localhost`, subject: 'Old problem' }).raw);
    const ticket = await tx((t) => t.ticket.findUniqueOrThrow({ where: { id: first.ticketId! } }));
    await waitUntil(async () => (await ticketRow(api, f, ticket.id)).firstResponseDueAt, 15_000, 'first deadline');
    await closeAndArchive(ticket.id);
    const sub = await watch();
    const fu = await receive(mail({ from: 'nia@cust.example', to: 'x@y.example', subject: `Re: [Ticket#${ticket.number}] it is back` }).raw);
    expect(fu).toMatchObject({ outcome: 'reopened:ticket-number', ticketId: ticket.id });
    const after = await tx((t) => t.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { state: true } }));
    expect(after).toMatchObject({ archived: false, closedAt: null });
    expect(after.state.type).toBe('OPEN');
    expect(await tx((t) => t.ticketHistory.count({ where: { ticketId: ticket.id, action: 'unarchived' } }))).toBe(1);
    const seen = await eventsOf(sub, ticket.id, ['ARTICLE_ADDED', 'TICKET_UPDATED']);
    expect(seen.find((e) => e.kind === 'ARTICLE_ADDED')!.articleId).toBe(fu.articleId);
    expect(seen.find((e) => e.kind === 'TICKET_UPDATED')!.changes).toEqual(expect.arrayContaining(['state', 'archived']));
    await waitUntil(async () => (await ticketRow(api, f, ticket.id)).firstResponseDueAt, 15_000, 'deadline after the reopen');
  });
});

describe('a change of state restores an archived ticket', () => {
  it('to open (and pending) unarchives with history and publishes it; to closed leaves it archived', async () => {
    const r = await receive(mail({ from: 'ola@cust.example', to: `support@${f.slug}.localhost`, subject: 'Archive me' }).raw);
    await closeAndArchive(r.ticketId!);
    const ctx = { db: api.services.db, viewer: agentViewer(f), events: api.services.events };
    const states = await tx((t) => t.ticketState.findMany({ where: { active: true } }));
    const ofType = (type: string) => states.find((s) => s.type === type)!;

    // another closed state: still archived
    const otherClosed = states.find((s) => s.type === 'CLOSED' && s.id !== ofType('CLOSED').id);
    if (otherClosed) {
      const still = await setTicketState(ctx, { ticketId: r.ticketId!, stateId: otherClosed.id });
      expect(still.archived).toBe(true);
    }

    const sub = await watch();
    const opened = await setTicketState(ctx, { ticketId: r.ticketId!, stateId: ofType('OPEN').id });
    expect(opened.archived).toBe(false);
    const history = await tx((t) => t.ticketHistory.findMany({ where: { ticketId: r.ticketId!, action: 'unarchived' } }));
    expect(history).toMatchObject([{ field: 'archived', oldValue: 'true', newValue: 'false' }]);
    const seen = await eventsOf(sub, r.ticketId!, ['TICKET_UPDATED']);
    expect(seen.find((e) => e.kind === 'TICKET_UPDATED')!.changes).toEqual(['state', 'archived']);

    const pending = ofType('PENDING_REMINDER');
    await tx((t) => t.ticket.update({ where: { id: r.ticketId! }, data: { archived: true } }));
    const later = await setTicketState(ctx, { ticketId: r.ticketId!, stateId: pending.id, pendingUntil: new Date(Date.now() + 3_600_000) });
    expect(later.archived).toBe(false);
  });
});
