import type { Services } from '@parley/api/services.ts';
import type { TicketEvent } from '@parley/api/events/ticket-event.ts';
import { recordWebhookDeliveries } from '@parley/api/partners/webhooks.ts';
import { autoAssignTicket } from '@parley/api/queues/auto-assign.ts';
import { runAutomationRules } from '@parley/api/automation/run-rules.ts';
import { mailContext } from '@parley/api/mail/outbound/mail-context.ts';
import { runTicketSla } from '../sla-escalation/handler.ts';
import { enqueueWebhookDeliveries, webhookSink } from '@parley/api/partners/webhook-jobs.ts';
import { enqueue } from '../../queues.ts';
import { ticketNeedsMeterReport } from '@parley/api/billing/meter-events.ts';
import { billingMeterEventJob, meterEventJobId } from '../billing-meter-event/definition.ts';

/** Kinds after which SLA deadlines may have moved (state, article, priority/queue/type, merge). */
const SLA_RELEVANT = new Set(['TICKET_CREATED', 'TICKET_UPDATED', 'ARTICLE_ADDED', 'TICKET_MERGED']);

/**
 * Fan-out of one ticket event: the tenant's automation rules (first, so that auto-assignment sees
 * the queue a rule chose; skipped for events the rules caused themselves), automatic assignment (new or moved-in ownerless tickets), recompute the SLA deadlines (and schedule the next escalation
 * moment), then record and enqueue the partners' webhook deliveries. Each step is idempotent
 * (one delivery row per webhook and event, job ids `wh-<deliveryId>`), so a retry after a
 * partial failure is harmless.
 */
export async function handleTicketEvent(services: Services, event: TicketEvent) {
  const done: Record<string, unknown> = {};
  const rules = await runAutomationRules({ db: services.db, events: services.events, mail: mailContext(services), webhooks: webhookSink(services.config) }, event);
  if (rules.applied.length > 0) done.rules = rules.applied;
  if (event.kind === 'TICKET_CREATED' || (event.kind === 'TICKET_UPDATED' && event.changes?.includes('queue'))) {
    const assigned = await autoAssignTicket(services.db, event.tenantId, event.ticketId);
    if (assigned) {
      done.assigned = assigned.ownerId;
      await services.events.publish({ ...event, id: undefined, at: undefined, kind: 'TICKET_UPDATED', changes: ['owner'], previousQueueId: null, actorUserId: null });
    }
  }
  if (SLA_RELEVANT.has(event.kind)) done.sla = await runTicketSla(services, event.tenantId, event.ticketId);
  const deliveries = await recordWebhookDeliveries(services.db, event);
  await enqueueWebhookDeliveries(services.config, event.tenantId, deliveries);
  done.webhooks = deliveries.length;
  // Pay-per-request: a charge written with the ticket (or its first reply) goes to Stripe in its own job.
  if ((event.kind === 'TICKET_CREATED' || event.kind === 'ARTICLE_ADDED') && event.customerUserId && await ticketNeedsMeterReport(services.db, event.tenantId, event.ticketId)) {
    await enqueue(services.config.REDIS_URL, billingMeterEventJob, { tenantId: event.tenantId, ticketId: event.ticketId }, { jobId: meterEventJobId(event.tenantId, event.ticketId), prefix: services.config.QUEUE_PREFIX });
    done.meterEvent = true;
  }
  return done;
}
