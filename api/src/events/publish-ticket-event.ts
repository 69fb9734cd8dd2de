import type { UseCaseContext } from '../tickets/ticket-context.ts';
import type { TicketEvent, TicketEventKind } from './ticket-event.ts';

type TicketFacts = { id: string; tenantId: string; queueId: string; customerUserId: string | null; customerCompanyId: string | null };
type Extra = Partial<Pick<TicketEvent, 'previousQueueId' | 'articleId' | 'internal' | 'changes' | 'slaTarget' | 'dueAt' | 'actorUserId'>>;

/**
 * Publishes a ticket event AFTER the use case's transaction committed ("publish after commit",
 * no outbox): subscribers and the worker never see a change that was rolled back. The price: a
 * crash between commit and publish loses the event; the escalation sweep repairs SLA state, a
 * missed live update is repaired by the next one. A failure to publish is logged, never thrown
 * (the change itself succeeded).
 */
export async function publishTicketEvent(ctx: Pick<UseCaseContext, 'events'> & { viewer?: UseCaseContext['viewer'] }, kind: TicketEventKind, ticket: TicketFacts, extra: Extra = {}) {
  if (!ctx.events) return;
  try {
    await ctx.events.publish({
      kind, tenantId: ticket.tenantId, ticketId: ticket.id, queueId: ticket.queueId,
      customerUserId: ticket.customerUserId, customerCompanyId: ticket.customerCompanyId,
      actorUserId: ctx.viewer?.kind === 'agent' ? ctx.viewer.userId : null,
      ...extra,
    });
  } catch (err) {
    ctx.events.onError?.(err);
  }
}
