import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { storeRawMail } from '@parley/api/mail/inbound/store-raw-mail.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { SECRET_COLUMNS } from '@parley/api/secrets/secret-box.ts';
import { ensureDovecot, freePort, type Dovecot } from '../support/dovecot.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { mail, setMailSettings, startMailTestApi, startSmtpSink, type SmtpSink } from '../support/mail.ts';
import type { TestApi } from '../support/api.ts';

// Editing/deleting the admin's mail settings, connection tests and the failed-mail log (dismiss,
// source view); every operation answers NotFoundError for another tenant's ids and FORBIDDEN for agents.

let api: TestApi;
let dovecot: Dovecot;
let sink: SmtpSink;
let a: TenantFixture;
let b: TenantFixture;
beforeAll(async () => {
  dovecot = await ensureDovecot({ users: [{ user: 'tester', password: 'pw-test' }] });
  sink = await startSmtpSink();
  api = await startMailTestApi();
  [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(async () => { await closeQueues(); await api.close(); await sink.close(); await dovecot.stop(); });

const run = (query: string, vars: Record<string, unknown>, token: string) => api.gql(query, vars, token);
const CREATE_ACCOUNT = `mutation($input: CreateMailAccountInput!) { createMailAccount(input: $input) { ... on CreateMailAccountSuccess { mailAccount { id } } ... on Error { message } } }`;
const UPDATE_ACCOUNT = `mutation($id: ID!, $input: UpdateMailAccountInput!) { updateMailAccount(id: $id, input: $input) { __typename ... on UpdateMailAccountSuccess { mailAccount { id host port username active queueId } } ... on ValidationError { field message } } }`;
const TEST_ACCOUNT = `mutation($id: ID!) { testMailAccount(id: $id) { __typename ... on TestMailAccountSuccess { test { ok message } } } }`;
const DELETE_ACCOUNT = `mutation($id: ID!) { deleteMailAccount(id: $id) { __typename } }`;

async function createAccount(f: TenantFixture, input: Record<string, unknown>) {
  const r = await run(CREATE_ACCOUNT, { input }, f.admin.token);
  return r.data.createMailAccount.mailAccount.id as string;
}
/** The stored password, decrypted (the column holds only ciphertext: see secrets-at-rest.test.ts). */
const storedPassword = (f: TenantFixture, id: string) => withTenant(api.services.db, f.tenant.id, (tx) => tx.mailAccount.findUniqueOrThrow({ where: { id } }))
  .then((r) => {
    expect(r.password).toMatch(/^enc:v1:/);
    return api.services.secrets.open(r.password, { tenantId: f.tenant.id, column: SECRET_COLUMNS.mailAccountPassword });
  });

describe('mail accounts', () => {
  it('updates an account keeping the password when none is given, disables, tests and deletes it', async () => {
    const id = await createAccount(a, { host: dovecot.host, port: dovecot.port, secure: false, username: 'tester', password: 'wrong' });
    const failed = await run(TEST_ACCOUNT, { id }, a.admin.token);
    expect(failed.data.testMailAccount.test.ok).toBe(false);
    expect(failed.data.testMailAccount.test.message).toMatch(/login failed|authenticat/i);

    const fixed = await run(UPDATE_ACCOUNT, { id, input: { host: dovecot.host, port: dovecot.port, secure: false, username: 'tester', password: 'pw-test', queueId: a.queue('Billing').id } }, a.admin.token);
    expect(fixed.data.updateMailAccount.mailAccount).toMatchObject({ id, port: dovecot.port, active: true, queueId: a.queue('Billing').id });
    const ok = await run(TEST_ACCOUNT, { id }, a.admin.token);
    expect(ok.data.testMailAccount.test).toEqual({ ok: true, message: expect.stringMatching(/signed in; mailbox INBOX has 0 message/i) });

    const disabled = await run(UPDATE_ACCOUNT, { id, input: { host: dovecot.host, port: dovecot.port, secure: false, username: 'tester', password: '', active: false } }, a.admin.token);
    expect(disabled.data.updateMailAccount.mailAccount.active).toBe(false);
    expect(await storedPassword(a, id)).toBe('pw-test'); // an empty password keeps the stored one

    const bad = await run(UPDATE_ACCOUNT, { id, input: { host: '', username: 'tester', port: 70000 } }, a.admin.token);
    expect(bad.data.updateMailAccount).toMatchObject({ __typename: 'ValidationError', field: 'host' });

    // the API never returns the password: the type has no such field
    const schemaErr = await run('{ mailAccounts { password } }', {}, a.admin.token);
    expect(schemaErr.errors?.[0].message).toMatch(/password/);

    // tenant B and agents cannot touch it
    expect((await run(TEST_ACCOUNT, { id }, b.admin.token)).data.testMailAccount.__typename).toBe('NotFoundError');
    expect((await run(UPDATE_ACCOUNT, { id, input: { host: 'x', username: 'y' } }, b.admin.token)).data.updateMailAccount.__typename).toBe('NotFoundError');
    expect((await run(DELETE_ACCOUNT, { id }, b.admin.token)).data.deleteMailAccount.__typename).toBe('NotFoundError');
    expect((await run(DELETE_ACCOUNT, { id }, a.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await run('{ mailAccounts { id } }', {}, b.admin.token)).data.mailAccounts).toEqual([]);

    expect((await run(DELETE_ACCOUNT, { id }, a.admin.token)).data.deleteMailAccount.__typename).toBe('DeleteMailAccountSuccess');
    expect((await run('{ mailAccounts { id } }', {}, a.admin.token)).data.mailAccounts).toEqual([]);
  });

  it('a refused connection says so', async () => {
    const id = await createAccount(a, { host: '127.0.0.1', port: await freePort(), secure: false, username: 'u', password: 'p' });
    const r = await run(TEST_ACCOUNT, { id }, a.admin.token);
    expect(r.data.testMailAccount.test).toEqual({ ok: false, message: expect.stringMatching(/connection refused/i) });
  });

  it('connection tests are limited per tenant (no port scanning through the API)', async () => {
    const id = await createAccount(b, { host: '127.0.0.1', port: await freePort(), secure: false, username: 'u', password: 'p' });
    const LIMITED = `mutation($id: ID!) { testMailAccount(id: $id) { __typename ... on RateLimitedError { retryAfterSeconds } } }`;
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push((await run(LIMITED, { id }, b.admin.token)).data.testMailAccount);
    expect(answers.slice(0, 20).every((r) => r.__typename === 'TestMailAccountSuccess')).toBe(true);
    expect(answers[20]).toEqual({ __typename: 'RateLimitedError', retryAfterSeconds: expect.any(Number) });
    // tenant A has its own budget
    const own = await createAccount(a, { host: '127.0.0.1', port: await freePort(), secure: false, username: 'u', password: 'p' });
    expect((await run(LIMITED, { id: own }, a.admin.token)).data.testMailAccount.__typename).toBe('TestMailAccountSuccess');
  });

  it('tests the outgoing SMTP server of the tenant', async () => {
    const TEST_SMTP = `mutation { testSmtpSettings { __typename ... on TestSmtpSettingsSuccess { test { ok message } } } }`;
    expect((await run(TEST_SMTP, {}, b.admin.token)).data.testSmtpSettings.test).toEqual({ ok: false, message: expect.stringMatching(/no smtp server/i) });
    await setMailSettings(api, a.tenant.id, { smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecure: false });
    expect((await run(TEST_SMTP, {}, a.admin.token)).data.testSmtpSettings.test).toEqual({ ok: true, message: expect.stringMatching(/connected/i) });
    await setMailSettings(api, a.tenant.id, { smtpPort: await freePort() });
    expect((await run(TEST_SMTP, {}, a.admin.token)).data.testSmtpSettings.test.ok).toBe(false);
    expect((await run(TEST_SMTP, {}, a.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('system addresses, filters and auto-responses', () => {
  it('edits and deletes a system address; B cannot', async () => {
    const created = await run(`mutation($input: CreateSystemAddressInput!) { createSystemAddress(input: $input) { ... on CreateSystemAddressSuccess { systemAddress { id } } } }`,
      { input: { address: `sales@${a.slug}.localhost`, queueId: a.queue('Support').id } }, a.admin.token);
    const id = created.data.createSystemAddress.systemAddress.id;
    const UPDATE = `mutation($id: ID!, $input: UpdateSystemAddressInput!) { updateSystemAddress(id: $id, input: $input) { __typename ... on UpdateSystemAddressSuccess { systemAddress { address displayName queueId verified } } ... on ValidationError { field } } }`;
    const moved = await run(UPDATE, { id, input: { address: `sales@${a.slug}.localhost`, displayName: 'Sales', queueId: a.queue('Billing').id } }, a.admin.token);
    expect(moved.data.updateSystemAddress.systemAddress).toEqual({ address: `sales@${a.slug}.localhost`, displayName: 'Sales', queueId: a.queue('Billing').id, verified: true });
    const foreign = await run(UPDATE, { id, input: { address: 'sales@elsewhere.example', queueId: a.queue('Billing').id } }, a.admin.token);
    expect(foreign.data.updateSystemAddress.systemAddress.verified).toBe(false);
    expect((await run(UPDATE, { id, input: { address: 'not an address', queueId: a.queue('Billing').id } }, a.admin.token)).data.updateSystemAddress).toEqual({ __typename: 'ValidationError', field: 'address' });
    expect((await run(UPDATE, { id, input: { address: 'x@y.example', queueId: b.queue('Billing').id } }, a.admin.token)).data.updateSystemAddress.__typename).toBe('NotFoundError');
    expect((await run(UPDATE, { id, input: { address: 'x@y.example', queueId: b.queue('Billing').id } }, b.admin.token)).data.updateSystemAddress.__typename).toBe('NotFoundError');
    const SENDER = `mutation($id: ID!) { useSystemAddressAsSender(id: $id) { __typename ... on ValidationError { field } } }`;
    expect((await run(SENDER, { id }, a.admin.token)).data.useSystemAddressAsSender).toEqual({ __typename: 'ValidationError', field: 'address' }); // unverified
    await run(UPDATE, { id, input: { address: `sales@${a.slug}.localhost`, queueId: a.queue('Billing').id } }, a.admin.token);
    expect((await run(SENDER, { id }, b.admin.token)).data.useSystemAddressAsSender.__typename).toBe('NotFoundError');
    expect((await run(SENDER, { id }, a.admin.token)).data.useSystemAddressAsSender.__typename).toBe('UseSystemAddressAsSenderSuccess');
    const queues = (await run('{ queues { name systemAddress } }', {}, a.admin.token)).data.queues;
    expect(queues.find((q: { name: string }) => q.name === 'Billing').systemAddress).toBe(`sales@${a.slug}.localhost`);
    expect((await run('{ queues { name systemAddress } }', {}, b.admin.token)).data.queues.every((q: { systemAddress: string | null }) => q.systemAddress !== `sales@${a.slug}.localhost`)).toBe(true);
    const DELETE = `mutation($id: ID!) { deleteSystemAddress(id: $id) { __typename } }`;
    expect((await run(DELETE, { id }, b.admin.token)).data.deleteSystemAddress.__typename).toBe('NotFoundError');
    expect((await run(DELETE, { id }, a.admin.token)).data.deleteSystemAddress.__typename).toBe('DeleteSystemAddressSuccess');
    expect((await run('{ systemAddresses { id } }', {}, a.admin.token)).data.systemAddresses).toEqual([]);
  });

  it('edits, disables and deletes a PostMaster filter; B cannot', async () => {
    const created = await run(`mutation($input: CreatePostmasterFilterInput!) { createPostmasterFilter(input: $input) { ... on CreatePostmasterFilterSuccess { postmasterFilter { id } } } }`,
      { input: { name: 'spam', match: [{ header: 'Subject', pattern: 'viagra' }], ignore: true } }, a.admin.token);
    const id = created.data.createPostmasterFilter.postmasterFilter.id;
    const UPDATE = `mutation($id: ID!, $input: UpdatePostmasterFilterInput!) { updatePostmasterFilter(id: $id, input: $input) { __typename ... on UpdatePostmasterFilterSuccess { postmasterFilter { name active ignore setQueueId match { header pattern negate } } } ... on ValidationError { field } } }`;
    const input = { name: 'invoices', active: false, match: [{ header: 'From', pattern: '@billing\\.example$', negate: true }], setQueueId: a.queue('Billing').id };
    expect((await run(UPDATE, { id, input }, a.admin.token)).data.updatePostmasterFilter.postmasterFilter).toEqual({
      name: 'invoices', active: false, ignore: false, setQueueId: a.queue('Billing').id, match: [{ header: 'From', pattern: '@billing\\.example$', negate: true }],
    });
    expect((await run(UPDATE, { id, input: { ...input, match: [{ header: 'Subject', pattern: '[' }] } }, a.admin.token)).data.updatePostmasterFilter).toEqual({ __typename: 'ValidationError', field: 'match.0.pattern' });
    expect((await run(UPDATE, { id, input }, b.admin.token)).data.updatePostmasterFilter.__typename).toBe('NotFoundError');
    const DELETE = `mutation($id: ID!) { deletePostmasterFilter(id: $id) { __typename } }`;
    expect((await run(DELETE, { id }, b.admin.token)).data.deletePostmasterFilter.__typename).toBe('NotFoundError');
    expect((await run(DELETE, { id }, a.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await run(DELETE, { id }, a.admin.token)).data.deletePostmasterFilter.__typename).toBe('DeletePostmasterFilterSuccess');
  });

  it('deletes an auto-response; B cannot', async () => {
    const set = await run(`mutation($input: SetAutoResponseInput!) { setAutoResponse(input: $input) { ... on SetAutoResponseSuccess { autoResponse { id } } } }`,
      { input: { queueId: a.queue('Support').id, kind: 'REJECT', subject: 'Closed', body: 'This ticket is closed.' } }, a.admin.token);
    const id = set.data.setAutoResponse.autoResponse.id;
    const DELETE = `mutation($id: ID!) { deleteAutoResponse(id: $id) { __typename } }`;
    expect((await run(DELETE, { id }, b.admin.token)).data.deleteAutoResponse.__typename).toBe('NotFoundError');
    expect((await run(DELETE, { id }, a.admin.token)).data.deleteAutoResponse.__typename).toBe('DeleteAutoResponseSuccess');
    expect((await run('{ autoResponses { id } }', {}, a.admin.token)).data.autoResponses).toEqual([]);
  });
});

describe('failed-mail log', () => {
  it('shows the source of a failed mail and dismisses it; B sees neither', async () => {
    const stored = await storeRawMail(api.services, { tenantId: a.tenant.id, source: 'HTTP', raw: readFileSync(join(import.meta.dirname, '../fixtures/mail/24-not-a-mail.bin')) });
    await ingestMail(api.services, a.tenant.id, stored.id);
    const SOURCE = `query($id: ID!) { inboundMailSource(id: $id) { __typename ... on InboundMailSourceSuccess { source { headers raw size truncated } } } }`;
    const src = await run(SOURCE, { id: stored.id }, a.admin.token);
    expect(src.data.inboundMailSource.source).toMatchObject({ size: expect.any(Number), truncated: false });
    expect(src.data.inboundMailSource.source.raw.length).toBeGreaterThan(0);
    expect((await run(SOURCE, { id: stored.id }, b.admin.token)).data.inboundMailSource.__typename).toBe('NotFoundError');
    expect((await run(SOURCE, { id: stored.id }, a.agent.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const ONE = `query($id: ID!) { inboundMail(id: $id) { id status failureCode } }`;
    expect((await run(ONE, { id: stored.id }, a.admin.token)).data.inboundMail).toEqual({ id: stored.id, status: 'FAILED', failureCode: 'NOT_RFC822' });
    expect((await run(ONE, { id: stored.id }, b.admin.token)).data.inboundMail).toBeNull();

    const DISMISS = `mutation($id: ID!) { dismissInboundMail(id: $id) { __typename ... on DismissInboundMailSuccess { inboundMail { status outcome } } } }`;
    expect((await run(DISMISS, { id: stored.id }, b.admin.token)).data.dismissInboundMail.__typename).toBe('NotFoundError');
    expect((await run(DISMISS, { id: stored.id }, a.admin.token)).data.dismissInboundMail.inboundMail).toEqual({ status: 'IGNORED', outcome: expect.stringMatching(/^dismissed by /) });
    expect((await run(DISMISS, { id: stored.id }, a.admin.token)).data.dismissInboundMail.__typename).toBe('NotFoundError'); // no longer FAILED
    expect((await run(`{ inboundMails(status: FAILED) { id } }`, {}, a.admin.token)).data.inboundMails).toEqual([]);
  });

  it('the header block of a real mail is split from the body', async () => {
    const m = mail({ from: 'c@customer.example', to: `support@${a.slug}.localhost`, subject: 'Header <b>test</b>', body: 'the body' });
    const stored = await storeRawMail(api.services, { tenantId: a.tenant.id, source: 'HTTP', raw: m.raw });
    const src = await run(`query($id: ID!) { inboundMailSource(id: $id) { ... on InboundMailSourceSuccess { source { headers raw } } } }`, { id: stored.id }, a.admin.token);
    expect(src.data.inboundMailSource.source.headers).toContain('Subject: Header <b>test</b>');
    expect(src.data.inboundMailSource.source.headers).not.toContain('the body');
    expect(src.data.inboundMailSource.source.raw).toContain('the body');
  });
});
