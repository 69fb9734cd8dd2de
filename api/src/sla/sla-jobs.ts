import { z } from 'zod';
import { enqueue, type JobContract } from '../jobs/job-queue.ts';
import type { Services } from '../services.ts';

/**
 * Recompute the SLA deadlines of a tenant's open tickets after its SLA configuration changed
 * (an assignment, a calendar, an SLA's targets). One job per batch of tickets, walking by id, so
 * a crash resumes at the batch it was in and a big tenant never holds one job for long.
 */
export const slaRecompute = {
  name: 'sla.recompute.v1',
  queue: 'escalation',
  payload: z.object({ tenantId: z.uuid(), runId: z.string().regex(/^[\w-]+$/).max(100), afterId: z.uuid().nullable() }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 2_000 } },
} satisfies JobContract<z.ZodType>;

/** Edits within the same few seconds share one recompute run (it starts after they settle). */
const SETTLE_MS = 3_000;

export async function scheduleSlaRecompute(services: Services, tenantId: string, now = Date.now()) {
  const runId = `sla-recompute-${tenantId}-${Math.floor(now / SETTLE_MS)}`;
  await enqueue(services.config.REDIS_URL, slaRecompute, { tenantId, runId, afterId: null }, { jobId: runId, delay: SETTLE_MS, prefix: services.config.QUEUE_PREFIX });
  return runId;
}
