import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket } from '../support/factories.ts';

let api: TestApi;
beforeAll(async () => { api = await startTestApi(); });
afterAll(() => api.close());

const SAVE = `mutation($i: SaveSearchInput!) { saveSearch(input: $i) { __typename ... on SaveSearchSuccess { savedSearch { id name isDefault filter } } } }`;

it('saves searches per agent with exactly one default view, and links tickets', async () => {
  const f = await createTenantFixture(api);
  const other = await createTenantFixture(api);
  await api.gql(SAVE, { i: { name: 'Mine', filter: { ownerId: f.agent.id }, isDefault: true } }, f.agent.token);
  await api.gql(SAVE, { i: { name: 'Urgent', filter: { priorityIds: [] }, isDefault: true } }, f.agent.token);
  const list = await api.gql('{ savedSearches { name isDefault filter } }', {}, f.agent.token);
  expect(list.data.savedSearches).toEqual([
    { name: 'Urgent', isDefault: true, filter: { priorityIds: [] } },
    { name: 'Mine', isDefault: false, filter: { ownerId: f.agent.id } },
  ]);
  expect((await api.gql('{ savedSearches { name } }', {}, f.agent2.token)).data.savedSearches).toEqual([]);
  expect((await api.gql('{ savedSearches { name } }', {}, other.agent.token)).data.savedSearches).toEqual([]);
  const id = (await api.gql('{ savedSearches { id name } }', {}, f.agent.token)).data.savedSearches[0].id;
  const foreign = await api.gql('mutation($id: ID!) { deleteSavedSearch(id: $id) { __typename } }', { id }, other.agent.token);
  expect(foreign.data.deleteSavedSearch.__typename).toBe('NotFoundError');

  const a = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'parent', body: 'x' });
  const b = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'child', body: 'x' });
  await api.gql('mutation($i: LinkTicketsInput!) { linkTickets(input: $i) { __typename } }', { i: { ticketId: a.id, targetId: b.id, parentChild: true } }, f.agent.token);
  const links = await api.gql('query($n: String!) { ticket(number: $n) { links { kind source { title } target { title } } } }', { n: b.number }, f.agent.token);
  expect(links.data.ticket.links).toEqual([{ kind: 'PARENT_CHILD', source: { title: 'parent' }, target: { title: 'child' } }]);
});
