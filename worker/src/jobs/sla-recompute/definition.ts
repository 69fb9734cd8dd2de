import { slaRecompute } from '@parley/api/sla/sla-jobs.ts';
import { defineJob } from '../define-job.ts';
import { recomputeTenantSlaBatch } from './handler.ts';

/** One batch of a tenant's open tickets, after an SLA configuration change; enqueues the next batch. */
export const slaRecomputeJob = defineJob({
  ...slaRecompute,
  handle: (services, payload) => recomputeTenantSlaBatch(services, payload),
});
