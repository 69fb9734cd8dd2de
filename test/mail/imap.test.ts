import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { withTenant } from '@parley/db';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { pollMailAccount } from '@parley/api/mail/inbound/poll-mail-account.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { ensureDovecot, type Dovecot } from '../support/dovecot.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { mail, setMailSettings, startMailTestApi } from '../support/mail.ts';
import type { TestApi } from '../support/api.ts';

let api: TestApi;
let dovecot: Dovecot;
let f: TenantFixture;

beforeAll(async () => {
  dovecot = await ensureDovecot({ users: [{ user: 'deleteme', password: 'pw-delete' }, { user: 'keepme', password: 'pw-keep' }, { user: 'idler', password: 'pw-idle' }] });
  api = await startMailTestApi();
  f = await createTenantFixture(api);
  await setMailSettings(api, f.tenant.id, { notifyAgents: false });
});
afterAll(async () => {
  await closeQueues();
  await api.close();
  await dovecot.stop();
});

async function imap(user: string, password: string) {
  const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: password }, logger: false });
  await c.connect();
  return c;
}
async function append(user: string, password: string, raws: Buffer[]) {
  const c = await imap(user, password);
  for (const r of raws) await c.append('INBOX', r);
  await c.logout();
}
async function onServer(user: string, password: string) {
  const c = await imap(user, password);
  const lock = await c.getMailboxLock('INBOX');
  const msgs = await c.fetchAll('1:*', { uid: true, flags: true }).catch(() => []);
  lock.release();
  await c.logout();
  return msgs.map((m) => ({ uid: m.uid, seen: m.flags?.has('\\Seen') ?? false }));
}
const account = (username: string, password: string, afterFetch: 'DELETE' | 'MARK_SEEN', queueId?: string) =>
  withTenant(api.services.db, f.tenant.id, (tx) => tx.mailAccount.create({ data: { tenantId: f.tenant.id, host: dovecot.host, port: dovecot.port, secure: false, username, password, afterFetch, queueId } }));
const processAll = async () => {
  const rows = await withTenant(api.services.db, f.tenant.id, (tx) => tx.inboundMail.findMany({ where: { status: 'RECEIVED', source: 'IMAP' } }));
  return Promise.all(rows.map((r) => ingestMail(api.services, f.tenant.id, r.id)));
};

describe('IMAP mail accounts against a real Dovecot', () => {
  it('DELETE: stores every message, then removes it from the server; each becomes a ticket in the account queue', async () => {
    const mails = [1, 2, 3].map((i) => mail({ from: `c${i}@cust.example`, to: 'shop@acme.example', subject: `IMAP ${i}` }));
    await append('deleteme', 'pw-delete', mails.map((m) => m.raw));
    const acc = await account('deleteme', 'pw-delete', 'DELETE', f.queue('Billing').id);
    expect(await pollMailAccount(api.services, f.tenant.id, acc.id)).toMatchObject({ fetched: 3, stored: 3 });
    expect(await onServer('deleteme', 'pw-delete')).toEqual([]);
    const results = await processAll();
    expect(results.map((r) => r.outcome)).toEqual(['new-ticket', 'new-ticket', 'new-ticket']);
    const tickets = await withTenant(api.services.db, f.tenant.id, (tx) => tx.ticket.findMany({ where: { id: { in: results.map((r) => r.ticketId!) } } }));
    expect(tickets.every((t) => t.queueId === f.queue('Billing').id)).toBe(true);
    expect(await pollMailAccount(api.services, f.tenant.id, acc.id)).toMatchObject({ fetched: 0 });
  });

  it('MARK_SEEN: keeps messages (flagged \\Seen), resumes after the last UID, and a re-fetch stores nothing twice', async () => {
    const first = [1, 2].map((i) => mail({ from: `k${i}@cust.example`, to: 'keep@acme.example', subject: `Keep ${i}` }));
    await append('keepme', 'pw-keep', first.map((m) => m.raw));
    const acc = await account('keepme', 'pw-keep', 'MARK_SEEN');
    expect(await pollMailAccount(api.services, f.tenant.id, acc.id)).toMatchObject({ fetched: 2, stored: 2 });
    expect((await onServer('keepme', 'pw-keep')).map((m) => m.seen)).toEqual([true, true]);
    expect(await pollMailAccount(api.services, f.tenant.id, acc.id)).toMatchObject({ fetched: 0 });
    await append('keepme', 'pw-keep', [mail({ from: 'k3@cust.example', to: 'keep@acme.example', subject: 'Keep 3' }).raw]);
    expect(await pollMailAccount(api.services, f.tenant.id, acc.id)).toMatchObject({ fetched: 1, stored: 1 });
    // As after a crash between storing and flagging: the account forgets where it was.
    await withTenant(api.services.db, f.tenant.id, (tx) => tx.mailAccount.update({ where: { id: acc.id }, data: { lastUid: null } }));
    expect(await pollMailAccount(api.services, f.tenant.id, acc.id)).toMatchObject({ fetched: 3, stored: 0, duplicates: 3 });
    await processAll();
    for (const m of first) expect(await withTenant(api.services.db, f.tenant.id, (tx) => tx.article.count({ where: { messageId: m.messageId } }))).toBe(1);
  });

  it('IDLE: mail arriving while the poll waits is fetched at once', async () => {
    const acc = await account('idler', 'pw-idle', 'DELETE');
    const polling = pollMailAccount(api.services, f.tenant.id, acc.id, { idleMs: 4000 });
    await new Promise((r) => setTimeout(r, 800));
    const started = Date.now();
    await append('idler', 'pw-idle', [mail({ from: 'i@cust.example', to: 'idle@acme.example', subject: 'while idling' }).raw]);
    const stored = await (async () => {
      for (;;) {
        const n = await withTenant(api.services.db, f.tenant.id, (tx) => tx.inboundMail.count({ where: { mailAccountId: acc.id } }));
        if (n || Date.now() - started > 3500) return n;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    expect(stored).toBe(1);
    expect(await polling).toMatchObject({ idled: true, fetched: 1 });
  });

  it('a wrong password is recorded on the account', async () => {
    const acc = await account('keepme', 'wrong', 'DELETE');
    await expect(pollMailAccount(api.services, f.tenant.id, acc.id)).rejects.toThrow();
    const after = await withTenant(api.services.db, f.tenant.id, (tx) => tx.mailAccount.findUniqueOrThrow({ where: { id: acc.id } }));
    expect(after.lastError).toBeTruthy();
  });
});
