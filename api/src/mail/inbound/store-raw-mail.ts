import { createHash, randomUUID } from 'node:crypto';
import { withTenant, type MailSource } from '@parley/db';
import { enqueue } from '../../jobs/job-queue.ts';
import type { Services } from '../../services.ts';
import { firstHeader, parseHeaderBlock } from '../header-block.ts';
import { mailInJobId, mailInProcess } from '../mail-jobs.ts';
import { normalizeMessageId } from '../message-id.ts';

export interface RawMailReceipt {
  tenantId: string;
  source: MailSource;
  raw: Buffer;
  /** The tenant's addresses the mail was delivered to (RCPT TO) */
  recipients?: string[];
  envelopeFrom?: string | null;
  mailAccountId?: string | null;
  remoteAddress?: string | null;
}

export const rawMailKey = (tenantId: string, sha256: string) => `raw/${tenantId}/${sha256}.eml`;

/**
 * The first step of every way in (SMTP, IMAP, HTTP): the bytes go to the blob store (fsync'd)
 * and a row records them, before the sender is told "accepted" or the IMAP message is removed.
 * The same bytes for the same tenant are stored once (unique (tenantId, sha256)). Then the
 * processing job is enqueued; if that enqueue is lost, the mail sweeper finds the row.
 * Nothing here parses the mail, so a mail that cannot be parsed is stored all the same.
 */
export async function storeRawMail(services: Services, receipt: RawMailReceipt): Promise<{ id: string; duplicate: boolean }> {
  const sha256 = createHash('sha256').update(receipt.raw).digest('hex');
  const key = rawMailKey(receipt.tenantId, sha256);
  if (!(await services.blobs.exists(key))) await services.blobs.put(key, receipt.raw);
  let headerMessageId: string | null = null;
  try {
    headerMessageId = normalizeMessageId(firstHeader(parseHeaderBlock(receipt.raw.subarray(0, 256 * 1024)), 'message-id'))?.slice(0, 998) ?? null;
  } catch { /* unparseable headers: processing records why */ }
  const recipients = [...new Set((receipt.recipients ?? []).map((r) => r.trim().toLowerCase()))];
  const row = await withTenant(services.db, receipt.tenantId, async (tx) => {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "InboundMail" ("id", "tenantId", "source", "mailAccountId", "envelopeFrom", "recipients", "remoteAddress", "sha256", "messageId", "size", "storageKey")
      VALUES (${randomUUID()}::uuid, ${receipt.tenantId}::uuid, ${receipt.source}::"MailSource", ${receipt.mailAccountId ?? null}::uuid,
              ${receipt.envelopeFrom?.slice(0, 998) ?? null}, ${recipients}::text[], ${receipt.remoteAddress ?? null}, ${sha256}, ${headerMessageId},
              ${receipt.raw.length}, ${key})
      ON CONFLICT ("tenantId", "sha256") DO NOTHING
      RETURNING "id"`;
    if (inserted.length) return { id: inserted[0].id, duplicate: false, pending: true };
    const existing = await tx.inboundMail.findUniqueOrThrow({ where: { tenantId_sha256: { tenantId: receipt.tenantId, sha256 } }, select: { id: true, status: true } });
    return { id: existing.id, duplicate: true, pending: existing.status === 'RECEIVED' };
  });
  if (row.pending) await enqueueInboundMail(services, receipt.tenantId, row.id);
  return { id: row.id, duplicate: row.duplicate };
}

/** Enqueues processing of a stored mail; failures are logged, the sweeper retries later. */
export async function enqueueInboundMail(services: Services, tenantId: string, inboundMailId: string) {
  try {
    await enqueue(services.config.REDIS_URL, mailInProcess, { tenantId, inboundMailId }, { jobId: mailInJobId(inboundMailId), prefix: services.config.QUEUE_PREFIX });
  } catch (err) {
    services.log.warn({ err: (err as Error).message, inboundMailId }, 'could not enqueue inbound mail; the sweeper will');
  }
}
