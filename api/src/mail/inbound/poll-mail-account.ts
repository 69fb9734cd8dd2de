import { ImapFlow } from 'imapflow';
import { withTenant } from '@parley/db';
import type { Services } from '../../services.ts';
import { storeRawMail } from './store-raw-mail.ts';
import { SECRET_COLUMNS, SecretDecryptError } from '../../secrets/secret-box.ts';

export interface PollResult { fetched: number; stored: number; duplicates: number; idled: boolean }

/**
 * Fetches new mail from one IMAP account (OTRS PostMaster mail account). Each message is stored
 * (storeRawMail: blob fsync'd + row committed) BEFORE it is removed or flagged on the server, so
 * a crash at any point leaves the message either on the server or stored, and fetching it again
 * stores nothing new (same bytes → same row). DELETE accounts expunge fetched messages; MARK_SEEN
 * accounts keep them, flag them \Seen and resume after the highest stored UID (reset when the
 * mailbox's UIDVALIDITY changes). With `idleMs` and a server that has IDLE, the connection then
 * waits in IDLE and fetches again as soon as new mail arrives, until `idleMs` has passed.
 */
export async function pollMailAccount(services: Services, tenantId: string, mailAccountId: string, opts: { idleMs?: number; batch?: number } = {}): Promise<PollResult> {
  const account = await withTenant(services.db, tenantId, (tx) => tx.mailAccount.findUnique({ where: { id: mailAccountId } }));
  const result: PollResult = { fetched: 0, stored: 0, duplicates: 0, idled: false };
  if (!account?.active) return result;
  let pass: string;
  try {
    pass = services.secrets.open(account.password, { tenantId, column: SECRET_COLUMNS.mailAccountPassword });
  } catch (err) {
    if (!(err instanceof SecretDecryptError)) throw err;
    await withTenant(services.db, tenantId, (tx) => tx.mailAccount.update({ where: { id: account.id }, data: { lastError: err.message, lastPolledAt: new Date() } }));
    throw err;
  }
  const client = new ImapFlow({
    host: account.host, port: account.port, secure: account.secure, auth: { user: account.username, pass },
    logger: false, connectionTimeout: 30_000, greetingTimeout: 15_000, socketTimeout: 120_000, disableAutoIdle: true,
  });
  client.on('error', (err: Error) => services.log.warn({ mailAccountId, err: err.message }, 'imap connection error'));
  const record = (data: { lastError?: string | null; uidValidity?: bigint; lastUid?: bigint | null }) =>
    withTenant(services.db, tenantId, (tx) => tx.mailAccount.update({ where: { id: account.id }, data: { ...data, lastPolledAt: new Date() } }));
  try {
    await client.connect();
    const lock = await client.getMailboxLock(account.mailbox);
    try {
      const box = client.mailbox;
      if (!box) throw new Error(`mailbox ${account.mailbox} not opened`);
      let lastUid = account.uidValidity === box.uidValidity ? account.lastUid : null;
      if (account.uidValidity !== box.uidValidity) await record({ uidValidity: box.uidValidity, lastUid: null });

      const fetchNew = async () => {
        const range = account.afterFetch === 'DELETE' ? '1:*' : `${Number(lastUid ?? 0n) + 1}:*`;
        const uids = ((await client.search({ uid: range }, { uid: true })) || []).filter((u) => account.afterFetch === 'DELETE' || u > Number(lastUid ?? 0n)).sort((a, b) => a - b);
        for (let i = 0; i < uids.length; i += opts.batch ?? 50) {
          const chunk = uids.slice(i, i + (opts.batch ?? 50));
          const done: number[] = [];
          for await (const msg of client.fetch(chunk.join(','), { uid: true, source: true }, { uid: true })) {
            if (!msg.source) continue;
            result.fetched++;
            const stored = await storeRawMail(services, { tenantId, source: 'IMAP', raw: msg.source, mailAccountId: account.id, remoteAddress: account.host });
            if (stored.duplicate) result.duplicates++;
            else result.stored++;
            done.push(msg.uid);
          }
          if (!done.length) continue;
          // Only now, with every message of the batch stored, touch them on the server.
          if (account.afterFetch === 'DELETE') {
            await client.messageDelete(done.join(','), { uid: true });
          } else {
            await client.messageFlagsAdd(done.join(','), ['\\Seen'], { uid: true });
            lastUid = BigInt(Math.max(...done));
            await record({ lastUid, lastError: null });
          }
        }
      };

      await fetchNew();
      const idleMs = opts.idleMs ?? 0;
      if (idleMs > 0 && client.capabilities.has('IDLE')) {
        result.idled = true;
        const until = Date.now() + idleMs;
        while (Date.now() < until) {
          let arrived = false;
          const onExists = () => { arrived = true; void client.noop(); }; // any command ends IDLE
          client.once('exists', onExists);
          const timer = setTimeout(() => { void client.noop(); }, Math.max(0, until - Date.now()));
          await client.idle();
          clearTimeout(timer);
          client.off('exists', onExists);
          if (arrived) await fetchNew();
        }
      }
    } finally {
      lock.release();
    }
    await record({ lastError: null });
    await client.logout();
  } catch (err) {
    await record({ lastError: (err as Error).message.slice(0, 1000) }).catch(() => {});
    client.close();
    throw err;
  }
  return result;
}
