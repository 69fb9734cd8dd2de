import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { withTenant } from '@parley/db';
import type { Services } from '../../services.ts';
import { SECRET_COLUMNS } from '../../secrets/secret-box.ts';

export const MAX_SEND_ATTEMPTS = 12;

/** Redis marker written right after the SMTP server accepted a mail, before the database records it. */
const sentMarkerKey = (tenantId: string, messageId: string) => `mail-out:sent:${tenantId}:${messageId}`;
const SENT_MARKER_TTL_S = 30 * 24 * 3600;

export interface SmtpTarget { key: string; options: Parameters<typeof nodemailer.createTransport>[0] }

const transports = new Map<string, Transporter>();

/** The tenant's SMTP settings, else the platform relay (MAIL_RELAY_URL). One pooled transport each. */
function transportFor(target: SmtpTarget): Transporter {
  let t = transports.get(target.key);
  if (!t) {
    t = nodemailer.createTransport(target.options);
    transports.set(target.key, t);
  }
  return t;
}

export function closeTransports() {
  for (const t of transports.values()) t.close();
  transports.clear();
}

type SmtpSettings = { tenantId: string; smtpHost: string | null; smtpPort: number | null; smtpSecure: boolean; smtpUser: string | null; smtpPassword: string | null };

function smtpTargetOf(services: Services, s: SmtpSettings | null): SmtpTarget {
  const common = { pool: true, maxConnections: 5, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };
  if (s?.smtpHost) {
    const port = s.smtpPort ?? (s.smtpSecure ? 465 : 587);
    // Decrypted only here, for the transport; the pool key holds a digest of it, not the password.
    const pass = services.secrets.openNullable(s.smtpPassword, { tenantId: s.tenantId, column: SECRET_COLUMNS.smtpPassword }) ?? '';
    return {
      key: `${s.smtpHost}|${port}|${s.smtpSecure}|${s.smtpUser ?? ''}|${createHash('sha256').update(pass).digest('base64')}`,
      options: { ...common, host: s.smtpHost, port, secure: s.smtpSecure, auth: s.smtpUser ? { user: s.smtpUser, pass } : undefined } as never,
    };
  }
  const url = new URL(services.config.MAIL_RELAY_URL);
  return {
    key: `relay|${services.config.MAIL_RELAY_URL}`,
    options: {
      ...common, host: url.hostname, port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)), secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'insecure' },
    } as never,
  };
}

export type SendResult = 'sent' | 'already-sent' | 'stale' | 'failed-permanently';

export class TransientSendError extends Error {}

/**
 * Sends one outbox row: the stored bytes, to the stored envelope. Idempotent and crash-safe:
 * 1. the row is marked SENDING (committed) before talking SMTP;
 * 2. after the server's 250, a Redis marker keyed by the Message-ID is written, then the row SENT;
 * 3. a retry that finds the marker records SENT without sending again (a crash between 2's two
 *    writes sends nothing twice); a row left SENDING without a marker is sent again once its
 *    lease ran out (never lost). The lease is renewed while this worker is still talking SMTP.
 *    Only a crash after the server stored the mail and before the marker is written — the SMTP
 *    acknowledgement window of RFC 1047, which no client can close on its own — sends twice,
 *    with the same Message-ID, so mail clients show it once.
 * A 5xx answer fails the row permanently; anything else is retried with backoff (TransientSendError).
 */
export async function sendOutgoingMail(services: Services, tenantId: string, outgoingMailId: string): Promise<SendResult> {
  const db = services.db;
  const mail = await withTenant(db, tenantId, (tx) => tx.outgoingMail.findUnique({ where: { id: outgoingMailId } }));
  if (!mail || mail.status === 'SENT' || mail.status === 'FAILED') return 'stale';

  const marker = await services.redis.get(sentMarkerKey(tenantId, mail.messageId));
  if (marker !== null) {
    await withTenant(db, tenantId, (tx) => tx.outgoingMail.updateMany({
      where: { id: mail.id, status: { in: ['PENDING', 'SENDING'] } },
      data: { status: 'SENT', sentAt: new Date(), smtpResponse: marker.slice(0, 1000) || 'sent (recovered)' },
    }));
    return 'already-sent';
  }

  // Claim it: PENDING, or SENDING by a worker that died (its lease ran out). Another worker
  // sending it right now makes this a retry later, never a second send.
  const leaseEnd = new Date(Date.now() - services.config.MAIL_SEND_LEASE_SECONDS * 1000);
  const claimed = await withTenant(db, tenantId, (tx) => tx.outgoingMail.updateMany({
    where: { id: mail.id, attempts: mail.attempts, OR: [{ status: 'PENDING' }, { status: 'SENDING', sendingStartedAt: { lt: leaseEnd } }] },
    data: { status: 'SENDING', sendingStartedAt: new Date(), attempts: mail.attempts + 1 },
  }));
  if (claimed.count === 0) {
    const now = await withTenant(db, tenantId, (tx) => tx.outgoingMail.findUnique({ where: { id: mail.id }, select: { status: true } }));
    if (now?.status === 'SENDING') throw new TransientSendError('being sent by another worker (lease not expired)');
    if (now?.status === 'PENDING') throw new TransientSendError('claimed and released by another worker meanwhile; retrying');
    return 'stale';
  }

  // While SMTP is in progress the lease is renewed, so a slow server or a long wait for a pooled
  // connection never lets a second worker claim a mail this one is still sending. The fence is
  // the attempt number this claim set: a renewal never touches a later claim.
  const fence = mail.attempts + 1;
  const heartbeat = setInterval(() => {
    withTenant(db, tenantId, (tx) => tx.outgoingMail.updateMany({
      where: { id: mail.id, status: 'SENDING', attempts: fence },
      data: { sendingStartedAt: new Date() },
    })).catch((err: Error) => services.log.warn({ outgoingMailId, err: err.message }, 'outgoing mail lease renewal failed'));
  }, Math.max(250, (services.config.MAIL_SEND_LEASE_SECONDS * 1000) / 4));
  heartbeat.unref();

  const settings = await withTenant(db, tenantId, (tx) => tx.mailSettings.findUnique({ where: { tenantId } }));
  let response: string;
  try {
    const info = await transportFor(smtpTargetOf(services, settings)).sendMail({
      envelope: { from: mail.envelopeFrom, to: mail.recipients },
      raw: Buffer.from(mail.raw),
    });
    response = String(info.response ?? 'sent');
  } catch (e) {
    const err = e as Error & { responseCode?: number };
    const permanent = (err.responseCode !== undefined && err.responseCode >= 500) || mail.attempts + 1 >= MAX_SEND_ATTEMPTS;
    await withTenant(db, tenantId, (tx) => tx.outgoingMail.update({
      where: { id: mail.id },
      data: { status: permanent ? 'FAILED' : 'PENDING', lastError: err.message.slice(0, 1000) },
    }));
    if (permanent) {
      services.log.warn({ outgoingMailId, err: err.message }, 'outgoing mail failed permanently');
      return 'failed-permanently';
    }
    throw new TransientSendError(err.message);
  } finally {
    clearInterval(heartbeat);
  }
  await services.redis.set(sentMarkerKey(tenantId, mail.messageId), response.slice(0, 500) || 'sent', 'EX', SENT_MARKER_TTL_S);
  await withTenant(db, tenantId, (tx) => tx.outgoingMail.update({
    where: { id: mail.id },
    data: { status: 'SENT', sentAt: new Date(), smtpResponse: response.slice(0, 1000), lastError: null },
  }));
  return 'sent';
}
