import { z } from 'zod';
import { defineJob } from '../define-job.ts';
import { refreshRollups } from './handler.ts';

/**
 * Keeps the analytics rollups current: every 5 minutes for every tenant with changed tickets,
 * or on demand for one tenant (payload tenantId; jobId `analytics:<tenantId>` de-duplicates).
 */
export const analyticsRollupsJob = defineJob({
  name: 'analytics.refresh-rollups.v1',
  queue: 'analytics',
  payload: z.object({ tenantId: z.uuid().optional() }),
  schedule: { pattern: '*/5 * * * *' },
  options: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  handle: (services, payload) => refreshRollups(services, payload.tenantId),
});
