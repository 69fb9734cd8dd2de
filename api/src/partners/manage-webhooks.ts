import { withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import type { AgentViewer } from '../auth/viewer.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { TICKET_EVENT_KINDS } from '../events/ticket-event.ts';
import { isUuid } from '../tickets/load-ticket.ts';
import { assertPublicUrl, BlockedAddressError } from './public-network-fetch.ts';
import { enqueueWebhookDeliveries } from './webhook-jobs.ts';

function requireAdmin(viewer: AgentViewer) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators can manage webhooks');
  if (viewer.apiKey && !viewer.apiKey.scopes.includes('admin')) throw new ForbiddenError('This API key lacks the admin scope');
}

/** Refuses IP literals that are not public (names are checked again when connecting: DNS rebinding). */
export function checkWebhookUrl(url: string, allowPrivateNetworks: boolean) {
  if (allowPrivateNetworks) return;
  try {
    assertPublicUrl(new URL(url));
  } catch (e) {
    if (e instanceof BlockedAddressError) throw new ValidationError(`Webhook URLs must point to a public address (${e.address} is not)`, 'url');
    throw e;
  }
}

const updateInput = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  events: z.array(z.enum(TICKET_EVENT_KINDS)).max(TICKET_EVENT_KINDS.length).optional(),
  active: z.boolean().optional(),
});

/** Changes a webhook's URL, events and/or active flag (the secret stays). */
export async function updateWebhook(db: Db, viewer: AgentViewer, id: string, raw: z.input<typeof updateInput>, opts: { allowPrivateNetworks?: boolean } = {}) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('Webhook');
  const input = parseInput(updateInput, raw);
  if (input.url) checkWebhookUrl(input.url, opts.allowPrivateNetworks ?? false);
  return withTenant(db, viewer.tenantId, async (tx) => {
    const { count } = await tx.webhook.updateMany({
      where: { id },
      data: { ...(input.url ? { url: input.url } : {}), ...(input.events ? { events: [...new Set(input.events)] } : {}), ...(input.active !== undefined ? { active: input.active } : {}) },
    });
    if (!count) throw new NotFoundError('Webhook');
    return tx.webhook.findUniqueOrThrow({ where: { id } });
  });
}

/**
 * Deletes a webhook and its delivery log. Refused while an automation rule calls it (the rule
 * would silently stop calling anything): change or delete the rule first.
 */
export async function deleteWebhook(db: Db, viewer: AgentViewer, id: string) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('Webhook');
  return withTenant(db, viewer.tenantId, async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id } });
    if (!webhook) throw new NotFoundError('Webhook');
    const rules = await tx.automationRule.findMany({ where: { actions: { array_contains: [{ type: 'call_webhook', webhookId: id }] } }, select: { name: true } });
    if (rules.length) throw new ConflictError(`Automation rules call this webhook: ${rules.map((r) => r.name).join(', ')}`);
    await tx.webhook.delete({ where: { id } });
    return webhook;
  });
}

/**
 * Sends a delivery again (same payload, same delivery id, a fresh signature and a fresh round of
 * retries). Idempotent: a delivery already waiting to be sent (PENDING) is left alone, so calling
 * this twice queues one send. A disabled webhook is a conflict (enable it first).
 */
export async function redeliverWebhookDelivery(db: Db, config: { REDIS_URL: string; QUEUE_PREFIX?: string }, viewer: AgentViewer, id: string) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('Webhook delivery');
  const { delivery, queued } = await withTenant(db, viewer.tenantId, async (tx) => {
    const found = await tx.webhookDelivery.findUnique({ where: { id }, include: { webhook: { select: { active: true } } } });
    if (!found) throw new NotFoundError('Webhook delivery');
    if (!found.webhook.active) throw new ConflictError('The webhook is disabled');
    const { count } = await tx.webhookDelivery.updateMany({ where: { id, status: { not: 'PENDING' } }, data: { status: 'PENDING', lastError: null, deliveredAt: null } });
    return { delivery: await tx.webhookDelivery.findUniqueOrThrow({ where: { id } }), queued: count === 1 };
  });
  // the attempt count only grows, so each redelivery gets its own job id (the first send's job may still be kept)
  if (queued) await enqueueWebhookDeliveries(config, viewer.tenantId, [id], (d) => `wh-${d}-r${delivery.attempts}`);
  return delivery;
}
