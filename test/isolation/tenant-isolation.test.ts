import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;
let ticketA: { id: string; number: string; title: string };
let ticketB: { id: string; number: string; title: string };
let apiKeyA: { id: string; secret: string };
let apiKeyB: string;
const lookups: Record<string, any> = {};

const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { ... on CreateApiKeySuccess { created { secret apiKey { id } } } } }`;

beforeAll(async () => {
  api = await startTestApi();
  [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
  ticketA = await openTicket(api, a.customer.token, { queueId: a.queue('Support').id, title: 'Secret of tenant A', body: 'zanzibar-confidential' });
  ticketB = await openTicket(api, b.agent.token, { queueId: b.queue('Support').id, title: 'Tenant B ticket', body: 'x' });
  const keyA = (await api.gql(CREATE_KEY, { i: { name: 'A', scopes: ['TICKETS_READ', 'TICKETS_WRITE'] } }, a.admin.token)).data.createApiKey.created;
  apiKeyA = { id: keyA.apiKey.id, secret: keyA.secret };
  apiKeyB = (await api.gql(CREATE_KEY, { i: { name: 'B', scopes: ['TICKETS_READ', 'TICKETS_WRITE', 'ADMIN'] } }, b.admin.token)).data.createApiKey.created.secret;
  const aLookups = (await api.gql('{ ticketStates { id type } priorities { id level } agents { id } }', {}, a.admin.token)).data;
  lookups.stateA = aLookups.ticketStates.find((s: any) => s.type === 'OPEN').id;
  lookups.priorityA = aLookups.priorities[0].id;
  lookups.agentA = aLookups.agents[0].id;
});
afterAll(() => api.close());

/** Every kind of tenant-B caller. */
const callersOfB = () => ({
  admin: b.admin.token, agent: b.agent.token, customer: b.customer.token, apiKey: apiKeyB,
});

describe('tenant B cannot reach tenant A', () => {
  it.each(['admin', 'agent', 'customer', 'apiKey'] as const)('%s of B reads nothing of A (ticket, node, filters, search)', async (who) => {
    const token = callersOfB()[who];
    const byNumber = await api.gql('query($n: String!) { ticket(number: $n) { id } }', { n: ticketA.number }, token);
    expect(byNumber.errors).toBeUndefined();
    // numbers are per tenant: B may have its own ticket with the same number, never A's
    expect(byNumber.data.ticket?.id ?? null).not.toBe(ticketA.id);
    const byNode = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id: ticketA.id }, token);
    expect(byNode.data.node).toBeNull();
    const filters = [
      { text: 'zanzibar' }, { text: ticketA.number }, { text: 'Secret of tenant A' },
      { queueIds: [a.queue('Support').id] }, { customerUserId: a.customer.id }, { ownerId: a.agent.id }, { includeArchived: true },
    ];
    for (const filter of filters) {
      const list = await api.gql('query($f: TicketFilter) { tickets(first: 50, filter: $f) { totalCount edges { node { id } } } }', { f: filter }, token);
      const ids = list.data.tickets.edges.map((e: any) => e.node.id);
      expect(ids, JSON.stringify(filter)).not.toContain(ticketA.id);
    }
  });

  it.each(['admin', 'agent', 'apiKey'] as const)('%s of B sees none of A\'s queues, states, priorities, agents, templates or keys', async (who) => {
    const token = callersOfB()[who];
    const r = await api.gql('{ queues { id } portalQueues { id } ticketStates { id } priorities { id } agents { id } templates { id } }', {}, token);
    const seen = JSON.stringify(r.data);
    for (const q of a.queues) expect(seen).not.toContain(q.id);
    expect(seen).not.toContain(lookups.stateA);
    expect(seen).not.toContain(lookups.priorityA);
    expect(seen).not.toContain(lookups.agentA);
  });

  it('B\'s admin cannot list or revoke A\'s API keys', async () => {
    const list = await api.gql('{ apiKeys { id } }', {}, b.admin.token);
    expect(list.data.apiKeys.map((k: any) => k.id)).not.toContain(apiKeyA.id);
    const revoke = await api.gql('mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on Error { code } } }', { id: apiKeyA.id }, b.admin.token);
    expect(revoke.data.revokeApiKey).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const stillWorks = await api.gql('{ me { id } }', {}, apiKeyA.secret);
    expect(stillWorks.status).toBe(200);
  });

  const mutations: Array<[string, string, () => Record<string, unknown>]> = [
    ['addArticle', 'AddArticleInput', () => ({ ticketId: ticketA.id, body: 'intrusion' })],
    ['setTicketState', 'SetTicketStateInput', () => ({ ticketId: ticketA.id, stateId: lookups.stateA })],
    ['setTicketPriority', 'SetTicketPriorityInput', () => ({ ticketId: ticketA.id, priorityId: lookups.priorityA })],
    ['moveTicket', 'MoveTicketInput', () => ({ ticketId: ticketA.id, queueId: a.queue('Billing').id })],
    ['assignTicket', 'AssignTicketInput', () => ({ ticketId: ticketA.id, ownerId: null })],
    ['setTicketResponsible', 'SetTicketResponsibleInput', () => ({ ticketId: ticketA.id, responsibleId: null })],
    ['lockTicket', 'LockTicketInput', () => ({ ticketId: ticketA.id })],
    ['unlockTicket', 'UnlockTicketInput', () => ({ ticketId: ticketA.id })],
    ['closeTicket', 'CloseTicketInput', () => ({ ticketId: ticketA.id })],
    ['unmergeTicket', 'UnmergeTicketInput', () => ({ ticketId: ticketA.id })],
    ['mergeTickets', 'MergeTicketsInput', () => ({ ticketId: ticketB.id, targetId: ticketA.id })],
    ['linkTickets', 'LinkTicketsInput', () => ({ ticketId: ticketB.id, targetId: ticketA.id })],
    ['starTicket', 'StarTicketInput', () => ({ ticketId: ticketA.id, starred: true })],
    ['watchTicket', 'WatchTicketInput', () => ({ ticketId: ticketA.id, watching: true })],
    ['recordTicketView', 'RecordTicketViewInput', () => ({ ticketId: ticketA.id })],
    // B's own ticket pointed at A's objects
    ['moveTicket', 'MoveTicketInput', () => ({ ticketId: ticketB.id, queueId: a.queue('Billing').id })],
    ['setTicketPriority', 'SetTicketPriorityInput', () => ({ ticketId: ticketB.id, priorityId: lookups.priorityA })],
    ['setTicketState', 'SetTicketStateInput', () => ({ ticketId: ticketB.id, stateId: lookups.stateA })],
    ['assignTicket', 'AssignTicketInput', () => ({ ticketId: ticketB.id, ownerId: lookups.agentA })],
    ['createTicket', 'CreateTicketInput', () => ({ queueId: a.queue('Support').id, title: 'x', body: 'y' })],
  ];

  it.each(mutations)('%s with A\'s objects gives NOT_FOUND to B (%s)', async (name, inputType, input) => {
    for (const token of [b.admin.token, apiKeyB]) {
      const r = await api.gql(`mutation($i: ${inputType}!) { ${name}(input: $i) { __typename ... on Error { code } } }`, { i: input() }, token);
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      expect(r.data[name]).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    }
    const after = await api.gql('query($n: String!) { ticket(number: $n) { title state { type } queue { name } articles { edges { node { id } } } } }', { n: ticketA.number }, a.admin.token);
    expect(after.data.ticket).toMatchObject({ title: 'Secret of tenant A', state: { type: 'NEW' }, queue: { name: 'Support' } });
    expect(after.data.ticket.articles.edges).toHaveLength(1);
  });

  it('B\'s admin and admin key neither list, edit nor delete A\'s automation rules', async () => {
    const SAVE = `mutation($i: SaveAutomationRuleInput!) { saveAutomationRule(input: $i) { __typename ... on SaveAutomationRuleSuccess { rule { id } } ... on Error { code } } }`;
    const created = await api.gql(SAVE, { i: { name: 'A secret rule', triggers: ['TICKET_CREATED'], actions: [{ type: 'add_note', body: 'x' }] } }, a.admin.token);
    const ruleId = created.data.saveAutomationRule.rule.id;
    for (const token of [b.admin.token, apiKeyB]) {
      const list = await api.gql('{ automationRules { id name } }', {}, token);
      expect(list.errors, JSON.stringify(list.errors)).toBeUndefined();
      expect(JSON.stringify(list.data)).not.toContain(ruleId);
      const edit = await api.gql(SAVE, { i: { id: ruleId, name: 'mine now', triggers: ['TICKET_CREATED'], actions: [{ type: 'add_note', body: 'x' }] } }, token);
      expect(edit.data.saveAutomationRule).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
      const del = await api.gql('mutation($id: ID!) { deleteAutomationRule(id: $id) { __typename ... on Error { code } } }', { id: ruleId }, token);
      expect(del.data.deleteAutomationRule).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    }
    const still = await api.gql('{ automationRules { id name } }', {}, a.admin.token);
    expect(still.data.automationRules).toContainEqual({ id: ruleId, name: 'A secret rule' });
  });

  it('a customer of the same tenant sees only their own (or, if allowed, their company\'s) tickets', async () => {
    const own = await openTicket(api, a.customer.token, { queueId: a.queue('Support').id, title: 'Carol own', body: 'x' });
    for (const [token, visible] of [[a.customer.token, true], [a.colleague.token, true], [a.stranger.token, false]] as const) {
      const r = await api.gql('query($n: String!) { ticket(number: $n) { id } }', { n: own.number }, token);
      expect(r.data.ticket !== null).toBe(visible);
    }
    const strangerList = await api.gql('{ tickets(first: 100) { edges { node { id } } } }', {}, a.stranger.token);
    expect(strangerList.data.tickets.edges).toEqual([]);
  });
});

describe('row-level security, proven through the API\'s own database role', () => {
  const appUrl = () => inject('db').appUrl;

  async function asApp<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: appUrl() });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  }

  it('returns nothing at all without a tenant, and only B\'s rows as B — with no tenant filter in the query', async () => {
    await asApp(async (c) => {
      const tables = ['Tenant', 'User', 'Ticket', 'Article', 'TicketHistory', 'CustomerUser', 'Queue', 'Session', 'ApiKey', 'TicketCounter', 'AutomationRule', 'AutomationRuleRun'];
      for (const t of tables) {
        const none = await c.query(`SELECT count(*)::int AS n FROM "${t}"`);
        expect(none.rows[0].n, t).toBe(0);
      }
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [b.tenant.id]);
      for (const t of tables) {
        const col = t === 'Tenant' ? 'id' : 'tenantId';
        const foreign = await c.query(`SELECT count(*)::int AS n FROM "${t}" WHERE "${col}" <> $1`, [b.tenant.id]);
        expect(foreign.rows[0].n, t).toBe(0);
      }
      const mine = await c.query(`SELECT count(*)::int AS n FROM "Ticket"`);
      expect(mine.rows[0].n).toBeGreaterThan(0);
      const hijack = await c.query(`UPDATE "Ticket" SET "title" = 'pwned' WHERE "id" = $1`, [ticketA.id.length > 36 ? Buffer.from(ticketA.id, 'base64').toString().split(':')[1] : ticketA.id]);
      expect(hijack.rowCount).toBe(0);
      await c.query('ROLLBACK');
    });
  });

  it('refuses to write a row into another tenant, and composite keys refuse cross-tenant references', async () => {
    const ticketAUuid = Buffer.from(ticketA.id, 'base64').toString().split(':')[1];
    await asApp(async (c) => {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [b.tenant.id]);
      await expect(c.query(`INSERT INTO "CustomerCompany" ("id", "tenantId", "name") VALUES (gen_random_uuid(), $1, 'evil')`, [a.tenant.id]))
        .rejects.toThrow(/row-level security/);
      await c.query('ROLLBACK');
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [b.tenant.id]);
      await expect(c.query(
        `INSERT INTO "Article" ("id", "tenantId", "ticketId", "channel", "senderType", "bodyText") VALUES (gen_random_uuid(), $1, $2, 'NOTE', 'AGENT', 'x')`,
        [b.tenant.id, ticketAUuid],
      )).rejects.toThrow(/foreign key/);
      await c.query('ROLLBACK');
    });
  });

  it('the app role cannot switch row-level security off or read the migrations table', async () => {
    await asApp(async (c) => {
      const role = await c.query(`SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user`);
      expect(role.rows[0]).toEqual({ rolbypassrls: false, rolsuper: false });
      await expect(c.query(`ALTER TABLE "Ticket" DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
      await expect(c.query(`SELECT * FROM "_prisma_migrations"`)).rejects.toThrow(/permission denied/);
    });
  });
});
