import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../../support/factories.ts';

let api: TestApi;
let f: TenantFixture;
let states: { id: string; name: string; type: string }[];
let priorities: { id: string; name: string; level: number }[];

const BULK = `mutation($input: BulkUpdateTicketsInput!) { bulkUpdateTickets(input: $input) { __typename
  ... on BulkUpdateTicketsSuccess { results { ticketId ok ticket { id owner { name } priority { id } state { type } queue { name } }
    error: outcome { __typename ... on Error { code message } ... on LockedError { owner { name } } } } }
  ... on Error { code message } ... on ValidationError { field } } }`;
const LOCK = `mutation($input: LockTicketInput!) { lockTicket(input: $input) { __typename } }`;
const TICKET = `query($number: String!) { ticket(number: $number) { id owner { name } priority { id } lockedBy { name }
  history(first: 50) { edges { node { action field } } } } }`;

beforeAll(async () => {
  api = await startTestApi();
  f = await createTenantFixture(api);
  const lookups = await api.gql(`{ ticketStates { id name type } priorities { id name level } }`, {}, f.agent.token);
  states = lookups.data.ticketStates;
  priorities = lookups.data.priorities;
});
afterAll(() => api.close());

const open = (title: string, g: TenantFixture = f) =>
  openTicket(api, g.agent.token, { queueId: g.queue('Support').id, title, body: 'x', customerEmail: `bulk@${g.slug}.example` });

describe('bulkUpdateTickets', () => {
  it('changes every ticket it may, and refuses only the one locked by another agent', async () => {
    const [a, b, c] = await Promise.all([open('Bulk A'), open('Bulk B'), open('Bulk C')]);
    expect((await api.gql(LOCK, { input: { ticketId: b.id } }, f.agent2.token)).data.lockTicket.__typename).toBe('LockTicketSuccess');
    const high = priorities.reduce((x, y) => (y.level > x.level ? y : x));
    const res = await api.gql(BULK, { input: { ticketIds: [a.id, b.id, c.id], changes: { ownerId: f.agent.id, priorityId: high.id } } }, f.agent.token);
    const payload = res.data.bulkUpdateTickets;
    expect(payload.__typename).toBe('BulkUpdateTicketsSuccess');
    const byId = new Map(payload.results.map((r: { ticketId: string }) => [r.ticketId, r]));
    for (const t of [a, c]) {
      const r = byId.get(t.id) as { ok: boolean; ticket: { owner: { name: string }; priority: { id: string } } };
      expect(r.ok).toBe(true);
      expect(r.ticket.owner.name).toBe('Alice Agent');
      expect(r.ticket.priority.id).toBe(high.id);
    }
    const locked = byId.get(b.id) as { ok: boolean; ticket: unknown; error: { __typename: string; owner: { name: string } } };
    expect(locked.ok).toBe(false);
    expect(locked.ticket).toBeNull();
    expect(locked.error.__typename).toBe('LockedError');
    expect(locked.error.owner.name).toBe('Bob Agent');

    // the refused ticket is untouched; the others carry history entries like a single change
    const after = await api.gql(TICKET, { number: b.number }, f.agent.token);
    expect(after.data.ticket.priority.id).not.toBe(high.id);
    expect(after.data.ticket.owner.name).toBe('Bob Agent');
    const hist = await api.gql(TICKET, { number: a.number }, f.agent.token);
    const actions = hist.data.ticket.history.edges.map((e: { node: { action: string } }) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(['owner_changed', 'priority_changed']));
  });

  it('closes and moves tickets in one go (state first, the move last)', async () => {
    const [a, b] = await Promise.all([open('Close A'), open('Close B')]);
    const closed = states.find((s) => s.type === 'CLOSED')!;
    const res = await api.gql(BULK, { input: { ticketIds: [a.id, b.id], changes: { stateId: closed.id, queueId: f.queue('Billing').id } } }, f.agent.token);
    for (const r of res.data.bulkUpdateTickets.results) {
      expect(r.ok).toBe(true);
      expect(r.ticket.state.type).toBe('CLOSED');
      expect(r.ticket.queue.name).toBe('Billing');
    }
  });

  it('applies the same permission checks: a read-only agent changes nothing', async () => {
    const a = await open('Read only');
    const res = await api.gql(BULK, { input: { ticketIds: [a.id], changes: { priorityId: priorities[0].id } } }, f.reader.token);
    const [r] = res.data.bulkUpdateTickets.results;
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('FORBIDDEN');
  });

  it('refuses more than 100 tickets, no change at all, and customers', async () => {
    const many = Array.from({ length: 101 }, () => crypto.randomUUID());
    const tooMany = await api.gql(BULK, { input: { ticketIds: many, changes: { priorityId: priorities[0].id } } }, f.agent.token);
    expect(tooMany.data.bulkUpdateTickets.code).toBe('VALIDATION');
    const a = await open('Nothing');
    const nothing = await api.gql(BULK, { input: { ticketIds: [a.id], changes: {} } }, f.agent.token);
    expect(nothing.data.bulkUpdateTickets.code).toBe('VALIDATION');
    const customer = await api.gql(BULK, { input: { ticketIds: [a.id], changes: { priorityId: priorities[0].id } } }, f.customer.token);
    expect(customer.data?.bulkUpdateTickets?.__typename === 'BulkUpdateTicketsSuccess').toBe(false);
  });

  it('tenant B cannot change tenant A\'s tickets (each is NOT_FOUND, A stays unchanged)', async () => {
    const g = await createTenantFixture(api);
    const a = await open('Tenant A ticket');
    const own = await open('Tenant B ticket', g);
    const bLookups = await api.gql(`{ priorities { id level } }`, {}, g.agent.token);
    const bHigh = bLookups.data.priorities.reduce((x: { level: number }, y: { level: number }) => (y.level > x.level ? y : x));
    const res = await api.gql(BULK, { input: { ticketIds: [a.id, own.id], changes: { ownerId: g.agent.id, priorityId: bHigh.id } } }, g.agent.token);
    const [ra, rb] = res.data.bulkUpdateTickets.results;
    expect(ra.ok).toBe(false);
    expect(ra.error.code).toBe('NOT_FOUND');
    expect(rb.ok).toBe(true);
    const still = await api.gql(TICKET, { number: a.number }, f.agent.token);
    const actions = still.data.ticket.history.edges.map((e: { node: { action: string } }) => e.node.action);
    expect(actions).not.toContain('owner_changed');
    expect(actions).not.toContain('priority_changed');
    expect(still.data.ticket.priority.id).not.toBe(bHigh.id);
  });
});
