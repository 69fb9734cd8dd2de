import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';

let api: TestApi;
let f: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  api = await startTestApi();
  [f, other] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(() => api.close());

describe('tenant admin API', () => {
  it('creates and changes queues, with rw for chosen roles', async () => {
    const roles = (await api.gql('{ roles { id name permissions { queue { name } permissions } } }', {}, f.admin.token)).data.roles;
    const agents = roles.find((r: any) => r.name === 'Agents');
    const created = await api.gql(`mutation($i: CreateQueueInput!) { createQueue(input: $i) { __typename ... on CreateQueueSuccess { queue { id name ticketPrefix openToCustomers followUpOption } } ... on Error { code message } } }`,
      { i: { name: 'Hosting', ticketPrefix: 'HOST', openToCustomers: true, followUpOption: 'NEW_TICKET', rwRoleIds: [agents.id] } }, f.admin.token);
    const queue = created.data.createQueue.queue;
    expect(queue).toMatchObject({ name: 'Hosting', ticketPrefix: 'HOST', openToCustomers: true, followUpOption: 'NEW_TICKET' });
    const t = await openTicket(api, f.agent.token, { queueId: queue.id, title: 'In the new queue', body: 'x' });
    expect(t.number).toBeTruthy();
    const dup = await api.gql(`mutation($i: CreateQueueInput!) { createQueue(input: $i) { __typename } }`, { i: { name: 'Hosting' } }, f.admin.token);
    expect(dup.data.createQueue.__typename).toBe('ConflictError');
    const bad = await api.gql(`mutation($i: CreateQueueInput!) { createQueue(input: $i) { __typename ... on ValidationError { field } } }`, { i: { name: 'X', ticketPrefix: 'lower' } }, f.admin.token);
    expect(bad.data.createQueue).toEqual({ __typename: 'ValidationError', field: 'ticketPrefix' });
    const updated = await api.gql(`mutation($i: UpdateQueueInput!) { updateQueue(input: $i) { ... on UpdateQueueSuccess { queue { name signature unlockTimeoutMinutes } } } }`,
      { i: { id: queue.id, name: 'Web hosting', signature: 'Your hosting team', unlockTimeoutMinutes: 30 } }, f.admin.token);
    expect(updated.data.updateQueue.queue).toEqual({ name: 'Web hosting', signature: 'Your hosting team', unlockTimeoutMinutes: 30 });
    const byAgent = await api.gql(`mutation($i: UpdateQueueInput!) { updateQueue(input: $i) { __typename } }`, { i: { id: queue.id, name: 'x' } }, f.agent.token);
    expect(byAgent.errors![0].extensions!.code).toBe('FORBIDDEN');
    const foreign = await api.gql(`mutation($i: UpdateQueueInput!) { updateQueue(input: $i) { __typename } }`, { i: { id: queue.id, name: 'stolen' } }, other.admin.token);
    expect(foreign.data.updateQueue.__typename).toBe('NotFoundError');
  });

  it('sets role permissions and agent roles; permissions take effect for writes at once', async () => {
    const support = f.queue('Support').id;
    const role = (await api.gql(`mutation($q: [QueuePermissionInput!]) { createRole(name: "Triage", queues: $q) { ... on CreateRoleSuccess { role { id } } } }`,
      { q: [{ queueId: support, permissions: ['RO', 'NOTE'] }] }, f.admin.token)).data.createRole.role;
    await api.gql(`mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { __typename } }`, { i: { id: f.reader.id, roleIds: [role.id] } }, f.admin.token);
    const t = await openTicket(api, f.agent.token, { queueId: support, title: 'Triage me', body: 'x' });
    const note = `mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename } }`;
    expect((await api.gql(note, { i: { ticketId: t.id, kind: 'NOTE', body: 'noted' } }, f.reader.token)).data.addArticle.__typename).toBe('AddArticleSuccess');
    expect((await api.gql(note, { i: { ticketId: t.id, kind: 'REPLY', body: 'reply' } }, f.reader.token)).data.addArticle.__typename).toBe('ForbiddenError');
    await api.gql(`mutation($r: ID!, $q: [QueuePermissionInput!]!) { setRolePermissions(roleId: $r, queues: $q) { __typename } }`,
      { r: role.id, q: [{ queueId: support, permissions: ['RO'] }] }, f.admin.token);
    expect((await api.gql(note, { i: { ticketId: t.id, kind: 'NOTE', body: 'again' } }, f.reader.token)).data.addArticle.__typename).toBe('ForbiddenError');
    const foreignRole = await api.gql(`mutation($r: ID!, $q: [QueuePermissionInput!]!) { setRolePermissions(roleId: $r, queues: $q) { __typename } }`, { r: role.id, q: [] }, other.admin.token);
    expect(foreignRole.data.setRolePermissions.__typename).toBe('NotFoundError');
  });

  it('deactivates agents (ending their sessions) but never the acting admin', async () => {
    const g = await createTenantFixture(api);
    const me = (await api.gql('{ me { id } }', {}, g.admin.token)).data.me.id;
    const self = await api.gql(`mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { __typename } }`, { i: { id: me, admin: false } }, g.admin.token);
    expect(self.data.updateAgent.__typename).toBe('ForbiddenError');
    const off = await api.gql(`mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { ... on UpdateAgentSuccess { agent { active } } } }`, { i: { id: g.agent2.id, active: false } }, g.admin.token);
    expect(off.data.updateAgent.agent.active).toBe(false);
    expect((await api.gql('{ me { id } }', {}, g.agent2.token)).status).toBe(401);
    const list = await api.gql('{ agents(includeInactive: true) { name active } }', {}, g.admin.token);
    expect(list.data.agents).toContainEqual({ name: 'Bob Agent', active: false });
  });

  it('manages states, priorities, types and templates', async () => {
    const state = await api.gql(`mutation { saveTicketState(name: "waiting for parts", type: PENDING_REMINDER) { __typename ... on SaveTicketStateSuccess { state { id name type } } } }`, {}, f.admin.token);
    expect(state.data.saveTicketState.state).toMatchObject({ name: 'waiting for parts', type: 'PENDING_REMINDER' });
    const noType = await api.gql(`mutation { saveTicketState(name: "typeless") { __typename ... on ValidationError { field } } }`, {}, f.admin.token);
    expect(noType.data.saveTicketState).toEqual({ __typename: 'ValidationError', field: 'type' });
    const prio = await api.gql(`mutation { savePriority(name: "6 critical", level: 5, color: "#ff0000") { ... on SavePrioritySuccess { priority { name level color } } } }`, {}, f.admin.token);
    expect(prio.data.savePriority.priority).toEqual({ name: '6 critical', level: 5, color: '#ff0000' });
    const tpl = await api.gql(`mutation { saveTemplate(name: "Reboot", body: "Please reboot, {{customer.name}}.", kind: SNIPPET) { ... on SaveTemplateSuccess { template { id name kind } } } }`, {}, f.admin.token);
    expect(tpl.data.saveTemplate.template).toMatchObject({ name: 'Reboot', kind: 'SNIPPET' });
    const off = await api.gql(`mutation($id: ID) { saveTemplate(id: $id, name: "Reboot", active: false) { __typename } }`, { id: tpl.data.saveTemplate.template.id }, f.admin.token);
    expect(off.data.saveTemplate.__typename).toBe('SaveTemplateSuccess');
    const templates = await api.gql('{ templates { name } }', {}, f.agent.token);
    expect(templates.data.templates.map((t: any) => t.name)).not.toContain('Reboot');
    const foreign = await api.gql(`mutation($id: ID) { saveTemplate(id: $id, name: "x") { __typename } }`, { id: tpl.data.saveTemplate.template.id }, other.admin.token);
    expect(foreign.data.saveTemplate.__typename).toBe('NotFoundError');
    const byAgent = await api.gql(`mutation { saveTicketType(name: "Question") { __typename } }`, {}, f.agent.token);
    expect(byAgent.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
