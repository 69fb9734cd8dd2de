import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import type { AgentViewer } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { TICKET_EVENT_KINDS, type TicketEvent } from '../events/ticket-event.ts';
import { isUuid } from '../tickets/load-ticket.ts';
import { assertPublicUrl, BlockedAddressError, fetchPublic } from './public-network-fetch.ts';
import { SECRET_COLUMNS, type SecretBox } from '../secrets/secret-box.ts';

export const SIGNATURE_HEADER = 'parley-signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the webhook's secret>`
 * (Stripe's scheme: the timestamp inside the MAC stops replays of old deliveries).
 */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** For receivers (and tests): checks a signature header against the raw body, within `toleranceSeconds`. */
export function verifyWebhookSignature(secret: string, body: string, header: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, body, t).split('v1=')[1], 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The body partners receive: the event's ids and facts (never content; fetch it with an API key). */
export function webhookPayload(e: TicketEvent) {
  const { internal: _internal, ...rest } = e;
  return { ...rest, internal: e.internal ?? false };
}

const createInput = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(z.enum(TICKET_EVENT_KINDS)).max(TICKET_EVENT_KINDS.length).default([]),
});

function requireAdmin(viewer: AgentViewer) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators can manage webhooks');
}

/** Registers an outgoing webhook; the signing secret is returned once and stored encrypted (SECRETS_KEY). */
export async function createWebhook(db: Db, secrets: SecretBox, viewer: AgentViewer, raw: z.input<typeof createInput>, opts: { allowPrivateNetworks?: boolean } = {}) {
  requireAdmin(viewer);
  const input = parseInput(createInput, raw);
  if (!opts.allowPrivateNetworks) {
    try {
      assertPublicUrl(new URL(input.url));
    } catch (e) {
      if (e instanceof BlockedAddressError) throw new ValidationError(`Webhook URLs must point to a public address (${e.address} is not)`, 'url');
      throw e;
    }
  }
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const webhook = await withTenant(db, viewer.tenantId, (tx) => tx.webhook.create({
    data: {
      tenantId: viewer.tenantId, url: input.url, events: [...new Set(input.events)], createdById: viewer.userId,
      secret: secrets.seal(secret, { tenantId: viewer.tenantId, column: SECRET_COLUMNS.webhookSecret }),
    },
  }));
  return { webhook, secret };
}

export async function setWebhookActive(db: Db, viewer: AgentViewer, id: string, active: boolean) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('Webhook');
  return withTenant(db, viewer.tenantId, async (tx) => {
    const { count } = await tx.webhook.updateMany({ where: { id }, data: { active } });
    if (!count) throw new NotFoundError('Webhook');
    return tx.webhook.findUniqueOrThrow({ where: { id } });
  });
}

/**
 * Records one delivery per matching active webhook of the event's tenant (idempotent: one row
 * per webhook and event) and returns the ids still to send.
 */
export async function recordWebhookDeliveries(db: Db, event: TicketEvent): Promise<string[]> {
  return withTenant(db, event.tenantId, async (tx) => {
    const hooks = await tx.webhook.findMany({ where: { active: true }, select: { id: true, events: true } });
    const wanted = hooks.filter((h) => h.events.length === 0 || h.events.includes(event.kind));
    if (wanted.length === 0) return [];
    await tx.webhookDelivery.createMany({
      data: wanted.map((h) => ({ tenantId: event.tenantId, webhookId: h.id, eventId: event.id, eventKind: event.kind, payload: webhookPayload(event) })),
      skipDuplicates: true,
    });
    const rows = await tx.webhookDelivery.findMany({ where: { eventId: event.id, status: 'PENDING' }, select: { id: true } });
    return rows.map((r) => r.id);
  });
}

/**
 * Sends one delivery: POST of the JSON payload with the signature, 10 s timeout; 2xx is
 * success. Failures are logged on the row and thrown, so BullMQ retries with backoff; the last
 * attempt marks it FAILED.
 */
export async function sendWebhookDelivery(db: Db, secrets: SecretBox, tenantId: string, deliveryId: string, opts: { finalAttempt: boolean; timeoutMs?: number; allowPrivateNetworks?: boolean }) {
  const delivery = await withTenant(db, tenantId, (tx) => tx.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { webhook: true } }));
  if (!delivery || delivery.status !== 'PENDING') return { skipped: true };
  if (!delivery.webhook.active) {
    await withTenant(db, tenantId, (tx) => tx.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'FAILED', lastError: 'webhook disabled' } }));
    return { skipped: true };
  }
  const body = JSON.stringify(delivery.payload);
  let status: number | null = null;
  let error: string | null = null;
  try {
    // Decrypted only to sign (inside the try: a value that does not decrypt is this delivery's error, logged on its row).
    const secret = secrets.open(delivery.webhook.secret, { tenantId, column: SECRET_COLUMNS.webhookSecret });
    const res = await fetchPublic(delivery.webhook.url, {
      allowPrivateNetworks: opts.allowPrivateNetworks ?? false,
      method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      headers: {
        'content-type': 'application/json', 'user-agent': 'Parley-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(secret, body),
        'parley-event': delivery.eventKind, 'parley-delivery': delivery.id,
      },
      body,
    });
    status = res.status;
    await res.body?.cancel();
    if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? ` (${e.cause.message})` : '';
    error = e instanceof Error ? `${e.name}: ${e.message}${cause}`.slice(0, 500) : String(e);
  }
  await withTenant(db, tenantId, (tx) => tx.webhookDelivery.update({
    where: { id: deliveryId },
    data: {
      attempts: { increment: 1 }, lastStatusCode: status, lastError: error,
      ...(error ? (opts.finalAttempt ? { status: 'FAILED' as const } : {}) : { status: 'SUCCEEDED' as const, deliveredAt: new Date() }),
    },
  }));
  if (error) throw new Error(`webhook delivery ${deliveryId} failed: ${error}`);
  return { status };
}
