import type { IncomingMessage, ServerResponse } from 'node:http';
import { withTenant, type Db } from '@parley/db';
import { constantTimeEqual, newToken, sha256 } from '../../auth/secrets.ts';
import type { Services } from '../../services.ts';
import { storeRawMail } from './store-raw-mail.ts';

export const INGEST_PATH = /^\/mail\/inbound\/([a-z][a-z0-9-]{1,38}[a-z0-9])\/?(?:\?.*)?$/;

/** A new HTTP ingest token for the tenant (shown once; only its SHA-256 is kept). Replaces the old one. */
export async function rotateIngestToken(db: Db, tenantId: string): Promise<string> {
  const token = newToken('pmi');
  await withTenant(db, tenantId, (tx) => tx.mailSettings.upsert({
    where: { tenantId }, create: { tenantId, ingestTokenHash: sha256(token) }, update: { ingestTokenHash: sha256(token) },
  }));
  return token;
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * POST /mail/inbound/<tenant-slug> with the raw RFC 822 message as the body (forwarding
 * services: Mailgun/SES/Postmark "raw MIME" webhooks, or a `curl --data-binary @mail.eml`),
 * authenticated by the tenant's ingest token (`Authorization: Bearer pmi_…`). Optional
 * `?recipient=` records the address it was sent to (routing by system address). The mail is
 * stored before 202 is answered; the same bytes twice give the same id (`duplicate: true`).
 */
export async function handleMailIngest(services: Services, req: IncomingMessage, res: ServerResponse, slug: string) {
  if (req.method !== 'POST') return reply(res, 405, { error: 'use POST with the raw message as the body' });
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const tenant = await services.systemDb.tenant.findUnique({ where: { slug }, select: { id: true, mailSettings: { select: { ingestTokenHash: true } } } });
  const expected = tenant?.mailSettings?.ingestTokenHash;
  // Same answer for an unknown tenant, a tenant without a token and a wrong token.
  if (!tenant || !expected || !token || !constantTimeEqual(sha256(token), expected)) {
    req.resume();
    return reply(res, 401, { error: 'invalid ingest token' });
  }
  // A suspended tenant's mail is still accepted and kept (suspension stops its users, not its mail).
  const max = services.config.MAIL_MAX_BYTES;
  if (Number(req.headers['content-length'] ?? 0) > max) {
    req.destroy();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) {
      reply(res, 413, { error: `message larger than ${max} bytes` });
      req.destroy();
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return reply(res, 400, { error: 'empty body: send the raw RFC 822 message' });
  const url = new URL(req.url ?? '/', 'http://x');
  const recipients = url.searchParams.getAll('recipient').filter((r) => /^[^\s@]+@[^\s@]+$/.test(r)).slice(0, 50);
  const stored = await storeRawMail(services, { tenantId: tenant.id, source: 'HTTP', raw, recipients, remoteAddress: req.socket.remoteAddress ?? null });
  reply(res, 202, { id: stored.id, duplicate: stored.duplicate });
}
