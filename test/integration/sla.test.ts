// SLA configuration through the API and deadline recompute on ticket changes (no worker: the
// use case the worker runs, processTicketSla, is called directly with a controlled `now`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { processTicketSla } from '@parley/api/sla/ticket-sla.ts';
import { setTicketState } from '@parley/api/tickets/update-ticket.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { agentViewer, openAgedTicket, setUpSla, ticketRow, TWENTY_FOUR_SEVEN } from '../support/sla.ts';

let api: TestApi;
let f: TenantFixture;
let g: TenantFixture;
const MIN = 60_000;

beforeAll(async () => {
  api = await startTestApi();
  [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
  await setUpSla(api, f, { firstResponseMinutes: 60, solutionMinutes: 240 });
});
afterAll(() => api.close());

const priority = (fx: TenantFixture, level: number) => withTenant(api.services.db, fx.tenant.id, (tx) => tx.priority.findFirstOrThrow({ where: { level } }));
const state = (fx: TenantFixture, type: 'PENDING_REMINDER' | 'OPEN') => withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticketState.findFirstOrThrow({ where: { type } }));

describe('deadlines', () => {
  it('are business time from creation, pause in pending states and resume extended by the paused time', async () => {
    const t = await openAgedTicket(api, f, 30 * MIN);
    await processTicketSla(api.services.db, f.tenant.id, t.id);
    let row = await ticketRow(api, f, t.id);
    expect(row.firstResponseDueAt!.getTime()).toBe(t.createdAt.getTime() + 60 * MIN);
    expect(row.solutionDueAt!.getTime()).toBe(t.createdAt.getTime() + 240 * MIN);
    expect(row.escalationAt!.getTime()).toBe(t.createdAt.getTime() + 60 * MIN);

    const ctx = { db: api.services.db, viewer: agentViewer(f) };
    await setTicketState(ctx, { ticketId: t.id, stateId: (await state(f, 'PENDING_REMINDER')).id, pendingUntil: new Date(Date.now() + 3600_000) });
    // the pending period began 20 minutes ago (history time moved back to make the pause measurable)
    await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticketHistory.updateMany({ where: { ticketId: t.id, action: 'state_changed' }, data: { createdAt: new Date(Date.now() - 20 * MIN) } }));
    await processTicketSla(api.services.db, f.tenant.id, t.id);
    row = await ticketRow(api, f, t.id);
    expect(row.firstResponseDueAt).toBeNull(); // unknown while paused
    expect(row.escalationAt).toBeNull(); // nothing to fire while paused

    await setTicketState(ctx, { ticketId: t.id, stateId: (await state(f, 'OPEN')).id });
    await processTicketSla(api.services.db, f.tenant.id, t.id);
    row = await ticketRow(api, f, t.id);
    const shift = row.firstResponseDueAt!.getTime() - (t.createdAt.getTime() + 60 * MIN);
    expect(shift).toBeGreaterThan(20 * MIN - 5_000);
    expect(shift).toBeLessThan(20 * MIN + 5_000);
  });

  it('the most specific assignment wins (priority + queue over queue), and a change of priority recomputes', async () => {
    const high = await priority(f, 4);
    await setUpSla(api, f, { firstResponseMinutes: 15 }, { queueId: f.queue('Support').id, priorityId: high.id });
    const t = await openAgedTicket(api, f, 5 * MIN);
    await processTicketSla(api.services.db, f.tenant.id, t.id);
    expect((await ticketRow(api, f, t.id)).firstResponseDueAt!.getTime()).toBe(t.createdAt.getTime() + 60 * MIN);
    await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticket.update({ where: { id: t.id }, data: { priorityId: high.id } }));
    await processTicketSla(api.services.db, f.tenant.id, t.id);
    expect((await ticketRow(api, f, t.id)).firstResponseDueAt!.getTime()).toBe(t.createdAt.getTime() + 15 * MIN);
    // a ticket in a queue without any SLA has no deadlines
    const other = await openAgedTicket(api, f, MIN, { queueId: f.queue('Billing').id });
    expect((await processTicketSla(api.services.db, f.tenant.id, other.id)).slaId).toBeNull();
    expect((await ticketRow(api, f, other.id)).firstResponseDueAt).toBeNull();
  });

  it('respects business hours and holidays of the calendar (Berlin, across the DST change)', async () => {
    const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
    const res = await api.gql(`mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename ... on SaveCalendarSuccess { calendar { id timeZone } } } }`,
      { i: { name: 'Berlin office', timeZone: 'Europe/Berlin', week, holidays: [{ month: 12, day: 25 }] } }, g.admin.token);
    const calendarId = res.data.saveCalendar.calendar.id;
    const sla = await api.gql(`mutation($i: CreateSlaInput!) { createSla(input: $i) { __typename ... on CreateSlaSuccess { sla { id } } } }`,
      { i: { name: 'Office hours', calendarId, firstResponseMinutes: 120 } }, g.admin.token);
    await api.gql(`mutation($i: AssignSlaInput!) { assignSla(input: $i) { __typename } }`, { i: { slaId: sla.data.createSla.sla.id } }, g.admin.token); // tenant default
    // Friday 2026-10-23 16:00 Berlin (CEST, 14:00Z): 1 h on Friday, then Monday 26th 09:00 CET (08:00Z) + 1 h
    const createdAt = new Date('2026-10-23T14:00:00Z');
    const { createTicket } = await import('@parley/api/tickets/create-ticket.ts');
    const t = await createTicket({ db: api.services.db, viewer: agentViewer(g), now: () => createdAt }, { queueId: g.queue('Raw').id, title: 'weekend', body: 'x' });
    await processTicketSla(api.services.db, g.tenant.id, t.id, new Date('2026-10-23T14:30:00Z'));
    expect((await ticketRow(api, g, t.id)).firstResponseDueAt!.toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });
});

describe('configuration', () => {
  it('rejects invalid calendars and duplicate assignments; only admins configure', async () => {
    const bad = await api.gql(`mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename ... on Error { code message } } }`,
      { i: { name: 'broken', timeZone: 'Mars/Olympus', week: TWENTY_FOUR_SEVEN } }, f.admin.token);
    expect(bad.data.saveCalendar).toMatchObject({ __typename: 'ValidationError' });
    const overlap = await api.gql(`mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename ... on Error { message } } }`,
      { i: { name: 'overlap', timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } } }, f.admin.token);
    expect(overlap.data.saveCalendar.__typename).toBe('ValidationError');
    const agent = await api.gql(`mutation($i: CreateSlaInput!) { createSla(input: $i) { __typename } }`, { i: { name: 'x', firstResponseMinutes: 5 } }, f.agent.token);
    expect(agent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const slas = await api.gql('{ slas { id assignments { queueId } } }', {}, f.admin.token);
    const slaId = slas.data.slas[0].id;
    const dup = await api.gql(`mutation($i: AssignSlaInput!) { assignSla(input: $i) { __typename } }`, { i: { slaId, queueId: f.queue('Support').id } }, f.admin.token);
    expect(dup.data.assignSla.__typename).toBe('ConflictError');
  });

  it('tenant B cannot see or use tenant A\'s calendars, SLAs, results or queues', async () => {
    const mine = await api.gql('{ slas { id } calendars { id } }', {}, f.admin.token);
    const theirs = await api.gql('{ slas { id } calendars { id } }', {}, g.admin.token);
    const ids = new Set([...mine.data.slas, ...mine.data.calendars].map((x: { id: string }) => x.id));
    for (const x of [...theirs.data.slas, ...theirs.data.calendars]) expect(ids.has(x.id)).toBe(false);
    // B assigning A's SLA, or its own SLA to A's queue: not found
    const aSla = mine.data.slas[0].id;
    const r1 = await api.gql(`mutation($i: AssignSlaInput!) { assignSla(input: $i) { __typename } }`, { i: { slaId: aSla, queueId: g.queue('Junk').id } }, g.admin.token);
    expect(r1.data.assignSla.__typename).toBe('NotFoundError');
    const bSla = theirs.data.slas[0].id;
    const r2 = await api.gql(`mutation($i: AssignSlaInput!) { assignSla(input: $i) { __typename } }`, { i: { slaId: bSla, queueId: f.queue('Junk').id } }, g.admin.token);
    expect(r2.data.assignSla.__typename).toBe('NotFoundError');
    const r3 = await api.gql(`mutation($i: CreateSlaInput!) { createSla(input: $i) { __typename } }`, { i: { name: 'steal', calendarId: mine.data.calendars[0].id } }, g.admin.token);
    expect(r3.data.createSla.__typename).toBe('NotFoundError');
    // ...nor overwrite A's calendar by its id
    const r4 = await api.gql(`mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename } }`,
      { i: { id: mine.data.calendars[0].id, name: 'hijack', timeZone: 'UTC', week: TWENTY_FOUR_SEVEN } }, g.admin.token);
    expect(r4.data.saveCalendar.__typename).toBe('NotFoundError');
    expect((await api.gql('{ calendars { name } }', {}, f.admin.token)).data.calendars.map((c: { name: string }) => c.name)).not.toContain('hijack');
  });
});
