import { z } from 'zod';
import { defineJob } from '../define-job.ts';
import { sweepEscalations } from './handler.ts';

/** The safety net behind the delayed jobs: every minute, every ticket whose SLA moment has passed. */
export const slaSweepJob = defineJob({
  name: 'sla.sweep.v1',
  queue: 'escalation',
  payload: z.object({}),
  options: { attempts: 1, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 24 * 3600 } },
  schedule: { every: 60_000 },
  handle: (services) => sweepEscalations(services),
});
