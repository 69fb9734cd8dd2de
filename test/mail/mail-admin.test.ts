import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { storeRawMail } from '@parley/api/mail/inbound/store-raw-mail.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { startMailTestApi } from '../support/mail.ts';
import type { TestApi } from '../support/api.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  api = await startMailTestApi();
  a = await createTenantFixture(api);
  b = await createTenantFixture(api);
});
afterAll(async () => { await closeQueues(); await api.close(); });

const INBOUND = `query($status: InboundMailStatus) { inboundMails(status: $status) { id status failureCode failureReason source } }`;
const RETRY = `mutation($id: ID!) { retryInboundMail(id: $id) { __typename ... on RetryInboundMailSuccess { inboundMail { id status } } ... on Error { code message } } }`;

it('the admin sees failed mails with the reason and retries them; agents and other tenants cannot', async () => {
  const stored = await storeRawMail(api.services, { tenantId: a.tenant.id, source: 'HTTP', raw: readFileSync(join(import.meta.dirname, '../fixtures/mail/24-not-a-mail.bin')) });
  await ingestMail(api.services, a.tenant.id, stored.id);
  const list = await api.gql(INBOUND, { status: 'FAILED' }, a.admin.token);
  expect(list.data.inboundMails).toEqual([{ id: stored.id, status: 'FAILED', failureCode: 'NOT_RFC822', failureReason: expect.any(String), source: 'HTTP' }]);
  expect((await api.gql(INBOUND, {}, a.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect((await api.gql(INBOUND, { status: 'FAILED' }, b.admin.token)).data.inboundMails).toEqual([]);
  expect((await api.gql(RETRY, { id: stored.id }, b.admin.token)).data.retryInboundMail.__typename).toBe('NotFoundError');
  expect((await api.gql(RETRY, { id: 'nope' }, a.admin.token)).data.retryInboundMail.__typename).toBe('NotFoundError');
  const retried = await api.gql(RETRY, { id: stored.id }, a.admin.token);
  expect(retried.data.retryInboundMail.inboundMail).toEqual({ id: stored.id, status: 'RECEIVED' });
});

it('the admin configures addresses, filters, auto-responses, accounts and settings; tenant B sees none of it', async () => {
  const q = a.queue('Billing').id;
  const gql = (query: string, input: unknown, token = a.admin.token) => api.gql(query, { input }, token);
  const sa = await gql(`mutation($input: CreateSystemAddressInput!) { createSystemAddress(input: $input) { __typename ... on CreateSystemAddressSuccess { systemAddress { address verified } } ... on Error { message } } }`,
    { address: `Billing@${a.slug}.localhost`, queueId: q });
  expect(sa.data.createSystemAddress.systemAddress).toEqual({ address: `billing@${a.slug}.localhost`, verified: true });
  const foreign = await gql(`mutation($input: CreateSystemAddressInput!) { createSystemAddress(input: $input) { __typename ... on CreateSystemAddressSuccess { systemAddress { verified } } } }`,
    { address: `help@${a.slug}-corp.example`, queueId: q });
  expect(foreign.data.createSystemAddress.systemAddress.verified).toBe(false);
  const taken = await gql(`mutation($input: CreateSystemAddressInput!) { createSystemAddress(input: $input) { __typename } }`, { address: `billing@${a.slug}.localhost`, queueId: b.queue('Billing').id }, b.admin.token);
  expect(taken.data.createSystemAddress.__typename).toBe('ConflictError'); // an address names one tenant only
  const pf = await gql(`mutation($input: CreatePostmasterFilterInput!) { createPostmasterFilter(input: $input) { __typename ... on CreatePostmasterFilterSuccess { postmasterFilter { name match { header pattern negate } setQueueId ignore } } ... on Error { message } } }`,
    { name: 'invoices', match: [{ header: 'Subject', pattern: 'invoice' }], setQueueId: q });
  expect(pf.data.createPostmasterFilter.postmasterFilter).toEqual({ name: 'invoices', match: [{ header: 'Subject', pattern: 'invoice', negate: false }], setQueueId: q, ignore: false });
  const badRe = await gql(`mutation($input: CreatePostmasterFilterInput!) { createPostmasterFilter(input: $input) { __typename } }`, { name: 'bad', match: [{ header: 'Subject', pattern: '(' }] });
  expect(badRe.data.createPostmasterFilter.__typename).toBe('ValidationError');
  const ar = await gql(`mutation($input: SetAutoResponseInput!) { setAutoResponse(input: $input) { __typename ... on SetAutoResponseSuccess { autoResponse { kind subject } } } }`,
    { queueId: q, kind: 'NEW_TICKET', subject: 'Thanks', body: 'Ticket {{ticket.number}}' });
  expect(ar.data.setAutoResponse.autoResponse).toEqual({ kind: 'NEW_TICKET', subject: 'Thanks' });
  const acc = await gql(`mutation($input: CreateMailAccountInput!) { createMailAccount(input: $input) { __typename ... on CreateMailAccountSuccess { mailAccount { host username afterFetch } } } }`,
    { host: 'imap.example', username: 'u', password: 'p', afterFetch: 'MARK_SEEN' });
  expect(acc.data.createMailAccount.mailAccount).toEqual({ host: 'imap.example', username: 'u', afterFetch: 'MARK_SEEN' });
  const st = await gql(`mutation($input: UpdateMailSettingsInput!) { updateMailSettings(input: $input) { __typename ... on UpdateMailSettingsSuccess { mailSettings { maxAutoResponsesPerDay threadBySenderOpenTicket hasIngestToken } } } }`,
    { maxAutoResponsesPerDay: 3, threadBySenderOpenTicket: true });
  expect(st.data.updateMailSettings.mailSettings).toEqual({ maxAutoResponsesPerDay: 3, threadBySenderOpenTicket: true, hasIngestToken: false });
  const token = await api.gql('mutation { rotateMailIngestToken }', {}, a.admin.token);
  expect(token.data.rotateMailIngestToken).toMatch(/^pmi_/);

  const ALL = '{ systemAddresses { address } postmasterFilters { name } autoResponses { kind } mailAccounts { host } mailSettings { hasIngestToken } }';
  const mine = await api.gql(ALL, {}, a.admin.token);
  expect(mine.data.systemAddresses).toHaveLength(2);
  expect(mine.data.mailSettings.hasIngestToken).toBe(true);
  const theirs = await api.gql(ALL, {}, b.admin.token);
  expect(theirs.data).toEqual({ systemAddresses: [], postmasterFilters: [], autoResponses: [], mailAccounts: [], mailSettings: null });
  expect((await api.gql(ALL, {}, a.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
});
