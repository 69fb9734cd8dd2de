import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { ImapFlow } from 'imapflow';
import { withTenant } from '@parley/db';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { pollMailAccount } from '@parley/api/mail/inbound/poll-mail-account.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { closeTransports, sendOutgoingMail } from '@parley/api/mail/outbound/send-outgoing-mail.ts';
import { setAutoResponse } from '@parley/api/mail/mail-admin.ts';
import { sendWebhookDelivery, SIGNATURE_HEADER, verifyWebhookSignature } from '@parley/api/partners/webhooks.ts';
import { createSecretBox, SECRET_COLUMNS, SecretDecryptError, secretsKeyId } from '@parley/api/secrets/secret-box.ts';
import { resealSecrets } from '@parley/api/secrets/reseal-secrets.ts';
import { secretsResealJob } from '@parley/worker/jobs/secrets-reseal/definition.ts';
import { ensureDovecot, type Dovecot } from '../support/dovecot.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { mail, startMailTestApi } from '../support/mail.ts';
import { TEST_SECRETS_KEY, type TestApi } from '../support/api.ts';

// Tenant secrets at rest: stored through the API they are ciphertext in the database, yet the
// worker still logs in to the real Dovecot, sends through a real SMTP server that demands AUTH
// and signs webhooks; a value copied to another tenant does not decrypt; legacy plaintext rows
// keep working and the re-encryption step (also for key rotation) seals them.

let api: TestApi & { prefix: string };
let dovecot: Dovecot;
let smtp: { port: number; logins: string[]; mails: { from: string; to: string[]; user: string }[]; close(): Promise<void> };
let hook: { url: string; hits: { headers: Record<string, string | string[] | undefined>; body: string }[]; server: Server };
let a: TenantFixture;
let b: TenantFixture;

const SMTP_USER = 'relay-user';
const SMTP_PASSWORD = `smtp-${randomBytes(6).toString('hex')}`;

/** An SMTP server that refuses mail without AUTH PLAIN/LOGIN as SMTP_USER / SMTP_PASSWORD. */
async function startAuthSmtp(): Promise<typeof smtp> {
  const logins: string[] = [];
  const mails: { from: string; to: string[]; user: string }[] = [];
  const server = new SMTPServer({
    logger: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      logins.push(`${auth.username}:${auth.password === SMTP_PASSWORD ? 'right' : 'wrong'}`);
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), user: String(session.user) });
        callback();
      });
    },
  });
  server.on('error', () => {});
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)));
  return { port, logins, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  dovecot = await ensureDovecot({ users: [{ user: 'sealed', password: 'pw-sealed-imap' }, { user: 'legacy', password: 'pw-legacy-imap' }] });
  smtp = await startAuthSmtp();
  const hits: typeof hook.hits = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }); res.writeHead(204).end(); });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  hook = { url: `http://127.0.0.1:${port}/hook`, hits, server };
  api = await startMailTestApi({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  [a, b] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(async () => {
  await closeQueues();
  closeTransports();
  await api.close();
  await smtp.close();
  await new Promise((resolve) => hook.server.close(resolve));
  await dovecot.stop();
});

const tx = <T>(f: TenantFixture, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(api.services.db, f.tenant.id, fn);
const gql = (query: string, vars: Record<string, unknown>, token: string) => api.gql(query, vars, token);
const CREATE_ACCOUNT = `mutation($input: CreateMailAccountInput!) { createMailAccount(input: $input) { ... on CreateMailAccountSuccess { mailAccount { id } } ... on Error { message } } }`;
const TEST_ACCOUNT = `mutation($id: ID!) { testMailAccount(id: $id) { ... on TestMailAccountSuccess { test { ok message } } } }`;
const UPDATE_SETTINGS = `mutation($input: UpdateMailSettingsInput!) { updateMailSettings(input: $input) { __typename } }`;
const TEST_SMTP = `mutation { testSmtpSettings { ... on TestSmtpSettingsSuccess { test { ok message } } } }`;
const CREATE_HOOK = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { ... on CreateWebhookSuccess { created { secret webhook { id } } } ... on Error { message } } }`;

async function appendTo(user: string, password: string, raw: Buffer) {
  const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: password }, logger: false });
  await c.connect();
  await c.append('INBOX', raw);
  await c.logout();
}
async function adminId(f: TenantFixture) {
  return (await tx(f, (t) => t.user.findFirstOrThrow({ where: { email: f.admin.email }, select: { id: true } }))).id;
}
/** A delivery row for a webhook, sent directly (as the worker's job would). */
async function deliver(f: TenantFixture, webhookId: string) {
  const row = await tx(f, (t) => t.webhookDelivery.create({ data: { tenantId: f.tenant.id, webhookId, eventId: randomUUID(), eventKind: 'TICKET_CREATED', payload: { probe: randomUUID() } } }));
  await sendWebhookDelivery(api.services.db, api.services.secrets, f.tenant.id, row.id, { finalAttempt: true, allowPrivateNetworks: true });
  return hook.hits.find((h) => h.headers['parley-delivery'] === row.id)!;
}

describe('secrets stored through the API', () => {
  it('keeps the IMAP and SMTP passwords encrypted, and the worker still logs in to Dovecot and sends through an SMTP server with AUTH', async () => {
    const created = await gql(CREATE_ACCOUNT, { input: { host: dovecot.host, port: dovecot.port, secure: false, username: 'sealed', password: 'pw-sealed-imap', queueId: a.queue('Billing').id } }, a.admin.token);
    const accountId = created.data.createMailAccount.mailAccount.id;
    expect((await gql(UPDATE_SETTINGS, { input: { smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecure: false, smtpUser: SMTP_USER, smtpPassword: SMTP_PASSWORD, notifyAgents: false } }, a.admin.token)).data.updateMailSettings.__typename).toBe('UpdateMailSettingsSuccess');

    const account = await tx(a, (t) => t.mailAccount.findUniqueOrThrow({ where: { id: accountId } }));
    const settings = await tx(a, (t) => t.mailSettings.findUniqueOrThrow({ where: { tenantId: a.tenant.id } }));
    for (const [stored, plain] of [[account.password, 'pw-sealed-imap'], [settings.smtpPassword!, SMTP_PASSWORD]]) {
      expect(stored).toMatch(new RegExp(`^enc:v1:${api.services.secrets.currentKeyId}:`));
      expect(stored).not.toContain(plain);
    }
    // never returned by the admin API either
    const listed = await gql('{ mailAccounts { id host username } mailSettings { smtpHost smtpUser } }', {}, a.admin.token);
    expect(JSON.stringify(listed.data)).not.toMatch(/pw-sealed-imap|enc:v1|smtp-/);
    expect((await gql('{ __type(name: "MailAccount") { fields { name } } }', {}, a.admin.token)).data.__type.fields.map((x: { name: string }) => x.name)).not.toContain('password');
    expect((await gql('{ __type(name: "MailSettings") { fields { name } } }', {}, a.admin.token)).data.__type.fields.map((x: { name: string }) => x.name)).not.toContain('smtpPassword');

    // connection tests decrypt
    expect((await gql(TEST_ACCOUNT, { id: accountId }, a.admin.token)).data.testMailAccount.test).toEqual({ ok: true, message: expect.stringMatching(/signed in/i) });
    expect((await gql(TEST_SMTP, {}, a.admin.token)).data.testSmtpSettings.test).toEqual({ ok: true, message: 'Connected and signed in' });

    // the worker's poll logs in with the decrypted password; the auto-response goes out through the AUTH server
    await setAutoResponse(api.services.db, a.tenant.id, { queueId: a.queue('Billing').id, kind: 'NEW_TICKET', subject: 'Got it', body: 'Ticket {{ticket.number}}' });
    const m = mail({ from: 'Nora <nora@cust.example>', to: 'billing@acme.example', subject: 'Sealed poll' });
    await appendTo('sealed', 'pw-sealed-imap', m.raw);
    expect(await pollMailAccount(api.services, a.tenant.id, accountId)).toMatchObject({ fetched: 1, stored: 1 });
    const inbound = await tx(a, (t) => t.inboundMail.findFirstOrThrow({ where: { mailAccountId: accountId } }));
    expect((await ingestMail(api.services, a.tenant.id, inbound.id)).outcome).toBe('new-ticket');
    const out = await tx(a, (t) => t.outgoingMail.findFirstOrThrow({ where: { recipients: { has: 'nora@cust.example' } } }));
    expect(await sendOutgoingMail(api.services, a.tenant.id, out.id)).toBe('sent');
    expect(smtp.mails).toContainEqual({ from: out.envelopeFrom, to: ['nora@cust.example'], user: SMTP_USER });
    expect(smtp.logins.every((l) => l === `${SMTP_USER}:right`)).toBe(true);
  });

  it('stores the webhook signing secret encrypted and signs deliveries with it', async () => {
    const created = (await gql(CREATE_HOOK, { i: { url: hook.url } }, a.admin.token)).data.createWebhook.created;
    const row = await tx(a, (t) => t.webhook.findUniqueOrThrow({ where: { id: created.webhook.id } }));
    expect(row.secret).toMatch(/^enc:v1:/);
    expect(row.secret).not.toContain(created.secret.slice(6));
    const hit = await deliver(a, created.webhook.id);
    expect(verifyWebhookSignature(created.secret, hit.body, String(hit.headers[SIGNATURE_HEADER]))).toBe(true);
  });

  it('a ciphertext copied into another tenant\'s row does not decrypt there', async () => {
    const mine = await gql(CREATE_ACCOUNT, { input: { host: dovecot.host, port: dovecot.port, secure: false, username: 'sealed', password: 'pw-sealed-imap' } }, a.admin.token);
    const theirs = await gql(CREATE_ACCOUNT, { input: { host: dovecot.host, port: dovecot.port, secure: false, username: 'sealed', password: 'something else' } }, b.admin.token);
    const sealedA = (await tx(a, (t) => t.mailAccount.findUniqueOrThrow({ where: { id: mine.data.createMailAccount.mailAccount.id } }))).password;
    const idB = theirs.data.createMailAccount.mailAccount.id;
    await tx(b, (t) => t.mailAccount.update({ where: { id: idB }, data: { password: sealedA } }));
    expect((await gql(TEST_ACCOUNT, { id: idB }, b.admin.token)).data.testMailAccount.test).toEqual({ ok: false, message: expect.stringMatching(/cannot be decrypted/) });
    await expect(pollMailAccount(api.services, b.tenant.id, idB)).rejects.toBeInstanceOf(SecretDecryptError);
    const after = await tx(b, (t) => t.mailAccount.findUniqueOrThrow({ where: { id: idB } }));
    expect(after.lastError).toMatch(/does not decrypt/);
    expect(after.lastError).not.toContain(sealedA);
  });
});

describe('legacy plaintext rows and re-encryption', () => {
  it('reads legacy plaintext, re-encrypts it once (idempotent), and re-encrypts again under a rotated key', async () => {
    const c = await createTenantFixture(api);
    const legacyHookSecret = `whsec_${randomBytes(24).toString('hex')}`;
    // rows as written before encryption at rest existed
    const account = await tx(c, (t) => t.mailAccount.create({ data: { tenantId: c.tenant.id, host: dovecot.host, port: dovecot.port, secure: false, username: 'legacy', password: 'pw-legacy-imap', afterFetch: 'DELETE' } }));
    await tx(c, (t) => t.mailSettings.create({ data: { tenantId: c.tenant.id, smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpUser: SMTP_USER, smtpPassword: SMTP_PASSWORD, notifyAgents: false } }));
    const webhook = await tx(c, async (t) => t.webhook.create({ data: { tenantId: c.tenant.id, url: hook.url, secret: legacyHookSecret, createdById: await adminId(c) } }));

    expect((await gql(TEST_ACCOUNT, { id: account.id }, c.admin.token)).data.testMailAccount.test.ok).toBe(true);
    expect((await gql(TEST_SMTP, {}, c.admin.token)).data.testSmtpSettings.test.ok).toBe(true);
    expect(verifyWebhookSignature(legacyHookSecret, (await deliver(c, webhook.id)).body, String((hook.hits.at(-1)!.headers[SIGNATURE_HEADER])))).toBe(true);

    const stored = async () => ({
      password: (await tx(c, (t) => t.mailAccount.findUniqueOrThrow({ where: { id: account.id } }))).password,
      smtpPassword: (await tx(c, (t) => t.mailSettings.findUniqueOrThrow({ where: { tenantId: c.tenant.id } }))).smtpPassword!,
      secret: (await tx(c, (t) => t.webhook.findUniqueOrThrow({ where: { id: webhook.id } }))).secret,
    });
    const once = { resealed: 1, failed: 0 };
    expect(await resealSecrets(api.services, { tenantId: c.tenant.id })).toEqual({ [SECRET_COLUMNS.mailAccountPassword]: once, [SECRET_COLUMNS.smtpPassword]: once, [SECRET_COLUMNS.webhookSecret]: once });
    const sealed = await stored();
    for (const v of Object.values(sealed)) expect(api.services.secrets.isCurrent(v)).toBe(true);
    expect(api.services.secrets.open(sealed.password, { tenantId: c.tenant.id, column: SECRET_COLUMNS.mailAccountPassword })).toBe('pw-legacy-imap');
    const none = { resealed: 0, failed: 0 };
    expect(await resealSecrets(api.services, { tenantId: c.tenant.id })).toEqual({ [SECRET_COLUMNS.mailAccountPassword]: none, [SECRET_COLUMNS.smtpPassword]: none, [SECRET_COLUMNS.webhookSecret]: none });
    expect(await stored()).toEqual(sealed);

    // still working after the step: IMAP login, SMTP login, webhook signature
    await appendTo('legacy', 'pw-legacy-imap', mail({ from: 'old@cust.example', to: 'x@acme.example', subject: 'After reseal' }).raw);
    expect(await pollMailAccount(api.services, c.tenant.id, account.id)).toMatchObject({ fetched: 1, stored: 1 });
    expect((await gql(TEST_SMTP, {}, c.admin.token)).data.testSmtpSettings.test).toEqual({ ok: true, message: 'Connected and signed in' });
    const signed = await deliver(c, webhook.id);
    expect(verifyWebhookSignature(legacyHookSecret, signed.body, String(signed.headers[SIGNATURE_HEADER]))).toBe(true);

    // rotation: new SECRETS_KEY, the old one in SECRETS_KEY_PREVIOUS; the same routine moves every value to the new key
    const newKey = randomBytes(32);
    const rotated = createSecretBox(newKey, [Buffer.from(TEST_SECRETS_KEY, 'base64')]);
    expect(await resealSecrets({ ...api.services, secrets: rotated }, { tenantId: c.tenant.id })).toEqual({ [SECRET_COLUMNS.mailAccountPassword]: once, [SECRET_COLUMNS.smtpPassword]: once, [SECRET_COLUMNS.webhookSecret]: once });
    const moved = await stored();
    for (const v of Object.values(moved)) expect(v.split(':')[2]).toBe(secretsKeyId(newKey));
    expect(rotated.open(moved.secret, { tenantId: c.tenant.id, column: SECRET_COLUMNS.webhookSecret })).toBe(legacyHookSecret);
    expect(rotated.open(moved.smtpPassword, { tenantId: c.tenant.id, column: SECRET_COLUMNS.smtpPassword })).toBe(SMTP_PASSWORD);
    // a process still on the old key alone cannot read them (what dropping SECRETS_KEY_PREVIOUS too early does); the step reports, never logs values
    expect(() => api.services.secrets.open(moved.password, { tenantId: c.tenant.id, column: SECRET_COLUMNS.mailAccountPassword })).toThrow(/neither SECRETS_KEY/);
    expect(await resealSecrets(api.services, { tenantId: c.tenant.id })).toEqual({
      [SECRET_COLUMNS.mailAccountPassword]: { resealed: 0, failed: 1 }, [SECRET_COLUMNS.smtpPassword]: { resealed: 0, failed: 1 }, [SECRET_COLUMNS.webhookSecret]: { resealed: 0, failed: 1 },
    });
    expect(await stored()).toEqual(moved);
  });

  it('the worker job re-encrypts legacy rows of every tenant', async () => {
    const d = await createTenantFixture(api);
    const account = await tx(d, (t) => t.mailAccount.create({ data: { tenantId: d.tenant.id, host: dovecot.host, port: dovecot.port, secure: false, username: 'legacy', password: 'pw-legacy-imap' } }));
    await secretsResealJob.handle(api.services, {}, { attemptsMade: 0 });
    const row = await tx(d, (t) => t.mailAccount.findUniqueOrThrow({ where: { id: account.id } }));
    expect(api.services.secrets.isCurrent(row.password)).toBe(true);
    expect(api.services.secrets.open(row.password, { tenantId: d.tenant.id, column: SECRET_COLUMNS.mailAccountPassword })).toBe('pw-legacy-imap');
  });
});
