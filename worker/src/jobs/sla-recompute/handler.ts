import { withTenant } from '@parley/db';
import type { Services } from '@parley/api/services.ts';
import { slaRecompute } from '@parley/api/sla/sla-jobs.ts';
import { enqueue } from '../../queues.ts';
import { runTicketSla } from '../sla-escalation/handler.ts';

const OPEN_TYPES = ['NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE'] as const;

/**
 * Recomputes the deadlines of the next `batch` open, unarchived tickets after `afterId` (which
 * also fires what is now due and reschedules the delayed escalation jobs), then enqueues the
 * following batch under a predictable job id. Re-running a batch is harmless: each warning and
 * breach fires once (SlaResult), and job ids de-duplicate.
 */
export async function recomputeTenantSlaBatch(
  services: Services, p: { tenantId: string; runId: string; afterId: string | null }, opts: { batch?: number; concurrency?: number } = {},
) {
  const batch = opts.batch ?? 200;
  const concurrency = opts.concurrency ?? 8;
  const ids = await withTenant(services.db, p.tenantId, (tx) => tx.ticket.findMany({
    where: { archived: false, state: { type: { in: [...OPEN_TYPES] } }, ...(p.afterId ? { id: { gt: p.afterId } } : {}) },
    orderBy: { id: 'asc' }, take: batch, select: { id: true },
  }));
  for (let i = 0; i < ids.length; i += concurrency) {
    await Promise.all(ids.slice(i, i + concurrency).map((t) => runTicketSla(services, p.tenantId, t.id)));
  }
  const last = ids.at(-1)?.id ?? null;
  if (ids.length === batch && last) {
    await enqueue(services.config.REDIS_URL, slaRecompute, { tenantId: p.tenantId, runId: p.runId, afterId: last }, { jobId: `${p.runId}-${last}`, prefix: services.config.QUEUE_PREFIX });
  }
  return { recomputed: ids.length, next: ids.length === batch ? last : null };
}
