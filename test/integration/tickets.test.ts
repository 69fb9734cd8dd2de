import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let f: TenantFixture;

beforeAll(async () => {
  api = await startTestApi();
  f = await createTenantFixture(api);
});
afterAll(() => api.close());

const ADD_ARTICLE = `mutation($input: AddArticleInput!) { addArticle(input: $input) { __typename
  ... on AddArticleSuccess { result { article { id senderType visibleToCustomer } ticket { state { type } lockedBy { name } owner { name } firstResponseAt } } }
  ... on LockedError { code message owner { id name } } ... on Error { code message } } }`;

const TICKET = `query($number: String!) { ticket(number: $number) { id number title state { name type } lockedBy { name } owner { name }
  articles { edges { node { bodyText senderType visibleToCustomer } } } } }`;

describe('tickets', () => {
  it('numbers 200 concurrent tickets distinctly (date-based, OTRS style)', async () => {
    const queueId = f.queue('Support').id;
    const tickets = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      openTicket(api, f.agent.token, { queueId, title: `Concurrent ${i}`, body: 'x', customerEmail: 'load@example.com' })));
    const numbers = new Set(tickets.map((t) => t.number));
    expect(numbers.size).toBe(200);
    for (const n of numbers) expect(n).toMatch(/^\d{8}10\d{6}$/);
  });

  it('numbers tickets per queue prefix when the tenant chooses prefix numbering', async () => {
    const g = await createTenantFixture(api, { ticketNumberFormat: 'prefix' });
    const a = await openTicket(api, g.agent.token, { queueId: g.queue('Support').id, title: 'a', body: 'x' });
    const b = await openTicket(api, g.agent.token, { queueId: g.queue('Support').id, title: 'b', body: 'x' });
    const c = await openTicket(api, g.agent.token, { queueId: g.queue('Billing').id, title: 'c', body: 'x' });
    expect([a.number, b.number, c.number]).toEqual(['SUP-1', 'SUP-2', 'BIL-1']);
  });

  it('lets exactly one of two agents replying at once win the lock; the other gets LOCKED naming the owner', async () => {
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Race', body: 'Help' });
    const [r1, r2] = await Promise.all([
      api.gql(ADD_ARTICLE, { input: { ticketId: t.id, body: 'From Alice' } }, f.agent.token),
      api.gql(ADD_ARTICLE, { input: { ticketId: t.id, body: 'From Bob' } }, f.agent2.token),
    ]);
    const kinds = [r1.data.addArticle.__typename, r2.data.addArticle.__typename].sort();
    expect(kinds).toEqual(['AddArticleSuccess', 'LockedError']);
    const winner = r1.data.addArticle.__typename === 'AddArticleSuccess' ? r1 : r2;
    const loser = winner === r1 ? r2 : r1;
    const winnerName = winner.data.addArticle.result.ticket.lockedBy.name;
    expect(loser.data.addArticle.code).toBe('LOCKED');
    expect(loser.data.addArticle.owner.name).toBe(winnerName);
    expect(loser.data.addArticle.message).toContain(winnerName);
    const after = await api.gql(TICKET, { number: t.number }, f.agent.token);
    expect(after.data.ticket.articles.edges).toHaveLength(2); // the customer's message and one reply
  });

  it('runs a ticket through reply, note, state changes and the customer view', async () => {
    const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Invoice missing', body: 'Where is my invoice?' });
    const reply = await api.gql(ADD_ARTICLE, { input: { ticketId: t.id, body: 'Sent again.', timeMinutes: 5 } }, f.agent.token);
    const ticketAfterReply = reply.data.addArticle.result.ticket;
    expect(ticketAfterReply.state.type).toBe('OPEN');
    expect(ticketAfterReply.lockedBy.name).toBe('Alice Agent');
    expect(ticketAfterReply.owner.name).toBe('Alice Agent');
    expect(ticketAfterReply.firstResponseAt).toBeTruthy();
    const note = await api.gql(ADD_ARTICLE, { input: { ticketId: t.id, kind: 'NOTE', body: 'Customer is a VIP' } }, f.agent2.token);
    expect(note.data.addArticle.result.article.visibleToCustomer).toBe(false);

    const customerView = await api.gql(TICKET, { number: t.number }, f.customer.token);
    expect(customerView.data.ticket.articles.edges.map((e: any) => e.node.bodyText)).toEqual(['Where is my invoice?', 'Sent again.']);

    const close = await api.gql(`mutation($id: ID!) { closeTicket(input: { ticketId: $id }) { __typename ... on CloseTicketSuccess { ticket { state { type } lockedBy { name } } } } }`, { id: t.id }, f.customer.token);
    expect(close.data.closeTicket.ticket).toEqual({ state: { type: 'CLOSED' }, lockedBy: null });

    // a customer reply reopens it (the queue allows follow-ups)
    const followUp = await api.gql(ADD_ARTICLE, { input: { ticketId: t.id, body: 'Still missing!' } }, f.customer.token);
    expect(followUp.data.addArticle.result.ticket.state.type).toBe('OPEN');

    const history = await api.gql(`query($n: String!) { ticket(number: $n) { history { edges { node { action field oldValue newValue actor { name } customerActor { name } } } } } }`, { n: t.number }, f.agent.token);
    const actions = history.data.ticket.history.edges.map((e: any) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(['created', 'locked', 'article_added', 'state_changed', 'time_accounted']));
  });

  it('forbids a read-only agent to write, but lets them read', async () => {
    const t = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'RO check', body: 'x' });
    const read = await api.gql(TICKET, { number: t.number }, f.reader.token);
    expect(read.data.ticket.title).toBe('RO check');
    const reply = await api.gql(ADD_ARTICLE, { input: { ticketId: t.id, body: 'nope' } }, f.reader.token);
    expect(reply.data.addArticle).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const raw = await openTicket(api, f.agent.token, { queueId: f.queue('Raw').id, title: 'Not for readers', body: 'x' });
    const hidden = await api.gql(TICKET, { number: raw.number }, f.reader.token);
    expect(hidden.data.ticket).toBeNull();
  });

  it('changes state, priority, queue and owner, and merges with undo', async () => {
    const states = (await api.gql('{ ticketStates { id name type } priorities { id level } }', {}, f.agent.token)).data;
    const pending = states.ticketStates.find((s: any) => s.type === 'PENDING_REMINDER');
    const high = states.priorities.find((p: any) => p.level === 5);
    const a = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'A', body: 'first' });
    const b = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'B', body: 'second' });

    const noDate = await api.gql(`mutation($i: SetTicketStateInput!) { setTicketState(input: $i) { __typename ... on ValidationError { field } } }`, { i: { ticketId: a.id, stateId: pending.id } }, f.agent.token);
    expect(noDate.data.setTicketState).toEqual({ __typename: 'ValidationError', field: 'pendingUntil' });
    const withDate = await api.gql(`mutation($i: SetTicketStateInput!) { setTicketState(input: $i) { __typename ... on SetTicketStateSuccess { ticket { state { type } pendingUntil } } } }`,
      { i: { ticketId: a.id, stateId: pending.id, pendingUntil: '2030-01-01T10:00:00Z' } }, f.agent.token);
    expect(withDate.data.setTicketState.ticket).toEqual({ state: { type: 'PENDING_REMINDER' }, pendingUntil: '2030-01-01T10:00:00.000Z' });

    const prio = await api.gql(`mutation($i: SetTicketPriorityInput!) { setTicketPriority(input: $i) { ... on SetTicketPrioritySuccess { ticket { priority { level } } } } }`, { i: { ticketId: a.id, priorityId: high.id } }, f.agent.token);
    expect(prio.data.setTicketPriority.ticket.priority.level).toBe(5);
    const moved = await api.gql(`mutation($i: MoveTicketInput!) { moveTicket(input: $i) { ... on MoveTicketSuccess { ticket { queue { name } } } } }`, { i: { ticketId: a.id, queueId: f.queue('Billing').id } }, f.agent.token);
    expect(moved.data.moveTicket.ticket.queue.name).toBe('Billing');
    const junk = await api.gql(`mutation($i: MoveTicketInput!) { moveTicket(input: $i) { __typename } }`, { i: { ticketId: a.id, queueId: f.queue('Junk').id } }, f.agent.token);
    expect(junk.data.moveTicket.__typename).toBe('ForbiddenError'); // no move_into on Junk
    const assigned = await api.gql(`mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ... on AssignTicketSuccess { ticket { owner { name } } } } }`, { i: { ticketId: a.id, ownerId: f.agent2.id } }, f.agent.token);
    expect(assigned.data.assignTicket.ticket.owner.name).toBe('Bob Agent');

    const merge = await api.gql(`mutation($i: MergeTicketsInput!) { mergeTickets(input: $i) { __typename ... on MergeTicketsSuccess { ticket { number articles { edges { node { bodyText } } } } } } }`, { i: { ticketId: a.id, targetId: b.id } }, f.agent.token);
    expect(merge.data.mergeTickets.ticket.number).toBe(b.number);
    expect(merge.data.mergeTickets.ticket.articles.edges.map((e: any) => e.node.bodyText).sort()).toEqual(['first', 'second']);
    const merged = await api.gql(TICKET, { number: a.number }, f.agent.token);
    expect(merged.data.ticket.state.type).toBe('MERGED');

    const undo = await api.gql(`mutation($i: UnmergeTicketInput!) { unmergeTicket(input: $i) { ... on UnmergeTicketSuccess { ticket { state { type } } } } }`, { i: { ticketId: a.id } }, f.agent.token);
    expect(undo.data.unmergeTicket.ticket.state.type).toBe('PENDING_REMINDER');
    const target = await api.gql(TICKET, { number: b.number }, f.agent.token);
    expect(target.data.ticket.articles.edges.map((e: any) => e.node.bodyText)).toEqual(['second']);
  });

  it('filters, searches, pages and stars', async () => {
    const g = await createTenantFixture(api);
    for (let i = 0; i < 7; i++) await openTicket(api, g.agent.token, { queueId: g.queue('Support').id, title: `Paged ${i}`, body: i === 3 ? 'the flux capacitor broke' : 'ordinary' });
    await openTicket(api, g.agent.token, { queueId: g.queue('Billing').id, title: 'Other queue', body: 'x' });
    const page = `query($after: String, $filter: TicketFilter) { tickets(first: 3, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id title } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r: any = await api.gql(page, { after, filter: { queueIds: [g.queue('Support').id] } }, g.agent.token);
      expect(r.data.tickets.totalCount).toBe(7);
      seen.push(...r.data.tickets.edges.map((e: any) => e.node.title));
      after = r.data.tickets.pageInfo.hasNextPage ? r.data.tickets.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['Paged 6', 'Paged 5', 'Paged 4', 'Paged 3', 'Paged 2', 'Paged 1', 'Paged 0']);
    const search = await api.gql(page, { filter: { text: 'capacitor' } }, g.agent.token);
    expect(search.data.tickets.edges.map((e: any) => e.node.title)).toEqual(['Paged 3']);
    const byTitle = await api.gql(page, { filter: { text: 'other QUEUE' } }, g.agent.token);
    expect(byTitle.data.tickets.edges.map((e: any) => e.node.title)).toEqual(['Other queue']);
    const first = (await api.gql(page, {}, g.agent.token)).data.tickets.edges[0].node;
    const star = await api.gql(`mutation($i: StarTicketInput!) { starTicket(input: $i) { ... on StarTicketSuccess { ticket { title starred } } } }`, { i: { ticketId: first.id, starred: true } }, g.agent.token);
    expect(star.errors).toBeUndefined();
    expect(star.data.starTicket.ticket).toEqual({ title: first.title, starred: true });
    const starred = await api.gql(page, { filter: { starred: true } }, g.agent.token);
    expect(starred.data.tickets.edges.map((e: any) => e.node.id)).toEqual([first.id]);
    const otherAgent = await api.gql(page, { filter: { starred: true } }, g.agent2.token);
    expect(otherAgent.data.tickets.edges).toEqual([]);
  });

  it('logs who viewed a ticket, with IP and browser', async () => {
    const t = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'Viewed', body: 'x' });
    const rec = await api.gql(`mutation($i: RecordTicketViewInput!) { recordTicketView(input: $i) { __typename } }`, { i: { ticketId: t.id } }, f.agent2.token);
    expect(rec.data.recordTicketView.__typename).toBe('RecordTicketViewSuccess');
    const views = await api.gql(`query($n: String!) { ticket(number: $n) { views { user { name } ip userAgent } } }`, { n: t.number }, f.agent.token);
    expect(views.data.ticket.views).toEqual([{ user: { name: 'Bob Agent' }, ip: '127.0.0.1', userAgent: 'node' }]);
  });
});
