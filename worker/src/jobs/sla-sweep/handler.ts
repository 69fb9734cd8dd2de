import type { Services } from '@parley/api/services.ts';
import { runTicketSla } from '../sla-escalation/handler.ts';

/**
 * Finds tickets whose next SLA moment (Ticket.escalationAt, partial index) has passed — their
 * delayed job was lost or the worker was down — and processes them. Cross-tenant lookup as the
 * system role; the processing itself runs under each ticket's tenant (RLS). Batches of 500 per
 * run, oldest first, 8 at a time; a larger backlog is finished by the next runs.
 */
export async function sweepEscalations(services: Services, now = new Date(), batch = 500, concurrency = 8) {
  const started = performance.now();
  const due = await services.systemDb.ticket.findMany({
    where: { escalationAt: { lte: now } }, orderBy: { escalationAt: 'asc' }, take: batch, select: { id: true, tenantId: true },
  });
  let fired = 0;
  let failed = 0;
  for (let i = 0; i < due.length; i += concurrency) {
    await Promise.all(due.slice(i, i + concurrency).map(async (t) => {
      try {
        fired += (await runTicketSla(services, t.tenantId, t.id, now)).fired.length;
      } catch (err) {
        failed += 1;
        services.log.warn({ ticketId: t.id, err: err instanceof Error ? err.message : String(err) }, 'SLA sweep: ticket failed');
      }
    }));
  }
  const ms = Math.round(performance.now() - started);
  if (due.length) services.log.info({ due: due.length, fired, failed, ms }, 'SLA sweep');
  return { due: due.length, fired, failed, ms };
}
