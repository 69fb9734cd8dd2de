import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { withTenant } from '@parley/db';
import { NotFoundError } from '../errors/app-error.ts';
import type { Services } from '../services.ts';
import { SECRET_COLUMNS, SecretDecryptError } from '../secrets/secret-box.ts';

// "Test connection" on the admin's mail pages: connect, log in (and open the mailbox for IMAP),
// report what happened in words an admin can act on. Nothing is fetched or sent.

export interface ConnectionTestResult {
  ok: boolean;
  /** What worked, or the server's / the network's answer */
  message: string;
  /** Milliseconds until the answer */
  elapsedMs: number;
}

const TIMEOUT_MS = 10_000;
/** The stored password does not decrypt with the platform's keys: only entering it again helps the admin. */
const UNREADABLE = 'The stored password cannot be decrypted (the platform key changed, or the value was altered): enter the password again';

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; responseText?: string; response?: string; authenticationFailed?: boolean };
  if (e.authenticationFailed) return `Login failed: ${e.responseText ?? 'the server refused the user name or password'}`;
  if (e.code === 'ECONNREFUSED') return 'Connection refused: nothing listens on this host and port';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'Unknown host: the name does not resolve';
  if (e.code === 'ETIMEDOUT' || e.code === 'ETIMEOUT' || e.code === 'CONNECT_TIMEOUT' || e.code === 'GREETING_TIMEOUT') return 'No answer in time (firewall, wrong port or TLS setting?)';
  if (e.code === 'EAUTH') return `Login failed: ${e.response ?? e.message ?? ''}`.trim();
  const text = e.responseText ?? e.response ?? e.message ?? String(err);
  return text.slice(0, 300);
}

/** Logs in to an IMAP account and opens its mailbox. */
export async function testMailAccount(services: Services, tenantId: string, id: string): Promise<ConnectionTestResult> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('Mail account');
  const account = await withTenant(services.db, tenantId, (tx) => tx.mailAccount.findFirst({ where: { id } }));
  if (!account) throw new NotFoundError('Mail account');
  await services.rateLimits.mailConnectionTest(tenantId);
  const started = Date.now();
  let pass: string;
  try {
    pass = services.secrets.open(account.password, { tenantId, column: SECRET_COLUMNS.mailAccountPassword });
  } catch (err) {
    if (err instanceof SecretDecryptError) return { ok: false, message: UNREADABLE, elapsedMs: 0 };
    throw err;
  }
  const client = new ImapFlow({
    host: account.host, port: account.port, secure: account.secure, auth: { user: account.username, pass },
    logger: false, connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS, disableAutoIdle: true,
  });
  client.on('error', () => { /* reported through connect()/mailboxOpen() */ });
  try {
    await client.connect();
    const box = await client.mailboxOpen(account.mailbox, { readOnly: true });
    return { ok: true, message: `Signed in; mailbox ${account.mailbox} has ${box.exists} message(s)`, elapsedMs: Date.now() - started };
  } catch (err) {
    return { ok: false, message: describe(err), elapsedMs: Date.now() - started };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Connects to the tenant's outgoing SMTP server and logs in (nodemailer verify). */
export async function testSmtpSettings(services: Services, tenantId: string): Promise<ConnectionTestResult> {
  const s = await withTenant(services.db, tenantId, (tx) => tx.mailSettings.findUnique({ where: { tenantId } }));
  if (!s?.smtpHost) return { ok: false, message: 'No SMTP server is set: mail goes out through the platform relay', elapsedMs: 0 };
  await services.rateLimits.mailConnectionTest(tenantId);
  const started = Date.now();
  let pass: string | null;
  try {
    pass = services.secrets.openNullable(s.smtpPassword, { tenantId, column: SECRET_COLUMNS.smtpPassword });
  } catch (err) {
    if (err instanceof SecretDecryptError) return { ok: false, message: UNREADABLE, elapsedMs: 0 };
    throw err;
  }
  const transport = nodemailer.createTransport({
    host: s.smtpHost, port: s.smtpPort ?? (s.smtpSecure ? 465 : 587), secure: s.smtpSecure,
    auth: s.smtpUser ? { user: s.smtpUser, pass: pass ?? '' } : undefined,
    connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS,
  });
  try {
    await transport.verify();
    return { ok: true, message: s.smtpUser ? 'Connected and signed in' : 'Connected (no login configured)', elapsedMs: Date.now() - started };
  } catch (err) {
    return { ok: false, message: describe(err), elapsedMs: Date.now() - started };
  } finally {
    transport.close();
  }
}
