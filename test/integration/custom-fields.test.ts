import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket } from '../support/factories.ts';

let api: TestApi;
beforeAll(async () => { api = await startTestApi(); });
afterAll(() => api.close());

const SAVE = `mutation($i: SaveCustomFieldInput!) { saveCustomField(input: $i) { __typename ... on SaveCustomFieldSuccess { customField { id key type options } } ... on ValidationError { field message } } }`;
const SET = `mutation($t: ID!, $v: [CustomFieldValueInput!]!) { setTicketCustomFields(ticketId: $t, values: $v) { __typename
  ... on SetTicketCustomFieldsSuccess { ticket { customFields { field { key } value } } } ... on ValidationError { field message } } }`;

it('defines fields of the nine types and validates values per type, per queue and per tenant', async () => {
  const f = await createTenantFixture(api);
  const other = await createTenantFixture(api);
  const support = f.queue('Support').id;
  const defs = [
    { key: 'order_no', label: 'Order number', type: 'TEXT' },
    { key: 'details', label: 'Details', type: 'TEXTAREA' },
    { key: 'product', label: 'Product', type: 'DROPDOWN', options: ['Hosting', 'Domains'] },
    { key: 'addons', label: 'Add-ons', type: 'MULTISELECT', options: ['Backup', 'SSL', 'CDN'] },
    { key: 'os', label: 'OS', type: 'CHECKBOXES', options: ['Linux', 'Windows'] },
    { key: 'plan', label: 'Plan', type: 'RADIO', options: ['Basic', 'Pro'], queueId: support },
    { key: 'since', label: 'Customer since', type: 'DATE' },
    { key: 'outage', label: 'Outage started', type: 'DATETIME', visibleToCustomer: false },
    { key: 'notes_html', label: 'Notes', type: 'HTML' },
  ];
  for (const d of defs) expect((await api.gql(SAVE, { i: d }, f.admin.token)).data.saveCustomField.__typename).toBe('SaveCustomFieldSuccess');
  expect((await api.gql(SAVE, { i: { key: 'x', label: 'X', type: 'DROPDOWN' } }, f.admin.token)).data.saveCustomField).toMatchObject({ __typename: 'ValidationError', field: 'options' });

  const t = await openTicket(api, f.customer.token, { queueId: support, title: 'Fields', body: 'x' });
  const ok = await api.gql(SET, { t: t.id, v: [
    { key: 'order_no', value: 'A-1' }, { key: 'product', value: 'Hosting' }, { key: 'addons', value: ['SSL', 'Backup', 'SSL'] },
    { key: 'plan', value: 'Pro' }, { key: 'since', value: '2024-02-29' }, { key: 'outage', value: '2026-11-20T10:00:00+01:00' },
    { key: 'notes_html', value: '<p onclick="x()">Hi<script>alert(1)</script></p>' },
  ] }, f.agent.token);
  const values = Object.fromEntries(ok.data.setTicketCustomFields.ticket.customFields.map((c: any) => [c.field.key, c.value]));
  expect(values).toMatchObject({ order_no: 'A-1', product: 'Hosting', addons: ['SSL', 'Backup'], plan: 'Pro', since: '2024-02-29', outage: '2026-11-20T09:00:00.000Z' });
  expect(values.notes_html).not.toMatch(/script|onclick/);

  for (const [key, value] of [['product', 'Mail'], ['addons', ['Nope']], ['since', '2023-02-30x'], ['outage', 'yesterday'], ['order_no', 42]] as const) {
    const r = await api.gql(SET, { t: t.id, v: [{ key, value }] }, f.agent.token);
    expect(r.data.setTicketCustomFields, key).toMatchObject({ __typename: 'ValidationError', field: key });
  }
  const billing = await openTicket(api, f.agent.token, { queueId: f.queue('Billing').id, title: 'Other queue', body: 'x' });
  expect((await api.gql(SET, { t: billing.id, v: [{ key: 'plan', value: 'Pro' }] }, f.agent.token)).data.setTicketCustomFields.__typename).toBe('ValidationError');

  const customerView = await api.gql('query($n: String!) { ticket(number: $n) { customFields { field { key } } } }', { n: t.number }, f.customer.token);
  expect(customerView.data.ticket.customFields.map((c: any) => c.field.key)).not.toContain('outage');
  const foreign = await api.gql(SET, { t: t.id, v: [{ key: 'order_no', value: 'x' }] }, other.agent.token);
  expect(foreign.data.setTicketCustomFields.__typename).toBe('NotFoundError');
  const foreignDefs = await api.gql('{ customFieldDefinitions { key } }', {}, other.agent.token);
  expect(foreignDefs.data.customFieldDefinitions).toEqual([]);
});
