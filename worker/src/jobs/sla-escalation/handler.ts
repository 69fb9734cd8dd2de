import type { Services } from '@parley/api/services.ts';
import { processTicketSla } from '@parley/api/sla/ticket-sla.ts';
import { enqueue } from '../../queues.ts';
import { slaEscalationJob } from './definition.ts';

export const escalationJobId = (ticketId: string, at: Date) => `esc-${ticketId}-${at.getTime()}`;

/**
 * Recomputes a ticket's SLA now, publishes what fired (after commit) and schedules the next
 * moment. Shared by the event fan-out, the delayed escalation job and the sweep; idempotent
 * (each warning/breach fires once, job ids are predictable).
 */
export async function runTicketSla(services: Services, tenantId: string, ticketId: string, now = new Date()) {
  const result = await processTicketSla(services.db, tenantId, ticketId, now);
  for (const event of result.fired) await services.events.publish({ ...event, tenantId });
  if (result.changed.length > 0 && result.fired[0]) {
    const f = result.fired[0];
    await services.events.publish({ kind: 'TICKET_UPDATED', tenantId, ticketId, queueId: f.queueId, customerUserId: f.customerUserId, customerCompanyId: f.customerCompanyId, changes: result.changed });
  }
  if (result.nextEventAt) {
    await enqueue(services.config.REDIS_URL, slaEscalationJob, { tenantId, ticketId, at: result.nextEventAt.getTime() }, {
      jobId: escalationJobId(ticketId, result.nextEventAt), delay: Math.max(0, result.nextEventAt.getTime() - Date.now()), prefix: services.config.QUEUE_PREFIX,
    });
  }
  return { fired: result.fired.map((f) => `${f.kind}:${f.slaTarget}`), nextEventAt: result.nextEventAt?.toISOString() ?? null };
}

export async function handleEscalationMoment(services: Services, payload: { tenantId: string; ticketId: string; at: number }) {
  // A delayed job can start a hair early; never evaluate before the moment it was set for.
  const early = payload.at - Date.now();
  if (early > 0) await new Promise((r) => setTimeout(r, Math.min(early, 5_000)));
  return runTicketSla(services, payload.tenantId, payload.ticketId);
}
