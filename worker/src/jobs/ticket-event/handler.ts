import type { Services } from '@parley/api/services.ts';
import type { TicketEvent } from '@parley/api/events/ticket-event.ts';
import { runTicketSla } from '../sla-escalation/handler.ts';

/** Kinds after which SLA deadlines may have moved (state, article, priority/queue/type, merge). */
const SLA_RELEVANT = new Set(['TICKET_CREATED', 'TICKET_UPDATED', 'ARTICLE_ADDED', 'TICKET_MERGED']);

/**
 * Fan-out of one ticket event: recompute the SLA deadlines (and schedule the next escalation
 * moment). Each step is idempotent, so a retry after a partial failure is harmless.
 */
export async function handleTicketEvent(services: Services, event: TicketEvent) {
  const done: Record<string, unknown> = {};
  if (SLA_RELEVANT.has(event.kind)) done.sla = await runTicketSla(services, event.tenantId, event.ticketId);
  return done;
}
