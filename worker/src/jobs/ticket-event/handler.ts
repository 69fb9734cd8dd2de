import type { Services } from '@parley/api/services.ts';
import type { TicketEvent } from '@parley/api/events/ticket-event.ts';
import { recordWebhookDeliveries } from '@parley/api/partners/webhooks.ts';
import { enqueue } from '../../queues.ts';
import { runTicketSla } from '../sla-escalation/handler.ts';
import { webhookDeliverJob } from '../webhook-deliver/definition.ts';

/** Kinds after which SLA deadlines may have moved (state, article, priority/queue/type, merge). */
const SLA_RELEVANT = new Set(['TICKET_CREATED', 'TICKET_UPDATED', 'ARTICLE_ADDED', 'TICKET_MERGED']);

/**
 * Fan-out of one ticket event: recompute the SLA deadlines (and schedule the next escalation
 * moment), then record and enqueue the partners' webhook deliveries. Each step is idempotent
 * (one delivery row per webhook and event, job ids `wh-<deliveryId>`), so a retry after a
 * partial failure is harmless.
 */
export async function handleTicketEvent(services: Services, event: TicketEvent) {
  const done: Record<string, unknown> = {};
  if (SLA_RELEVANT.has(event.kind)) done.sla = await runTicketSla(services, event.tenantId, event.ticketId);
  const deliveries = await recordWebhookDeliveries(services.db, event);
  for (const deliveryId of deliveries) {
    await enqueue(services.config.REDIS_URL, webhookDeliverJob, { tenantId: event.tenantId, deliveryId }, { jobId: `wh-${deliveryId}`, prefix: services.config.QUEUE_PREFIX });
  }
  done.webhooks = deliveries.length;
  return done;
}
