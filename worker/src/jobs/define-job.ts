import type { JobsOptions, RepeatOptions } from 'bullmq';
import { QUEUES, defaultJobOptions, type QueueName } from '@parley/api/jobs/job-queue.ts';
import type { z } from 'zod';
import type { Services } from '@parley/api/services.ts';

/**
 * A job: a versioned name, a zod payload of ids only, its queue, retry policy, an optional cron
 * schedule, and the handler. Handlers re-read state and return early when the work is stale, so
 * a retry or a duplicate does no harm; callers give predictable job ids for de-duplication.
 */
export interface JobDefinition<P extends z.ZodType> {
  name: string;
  queue: QueueName;
  payload: P;
  options?: JobsOptions;
  schedule?: RepeatOptions & { pattern?: string; every?: number };
  handle(services: Services, payload: z.output<P>, meta: { attemptsMade: number; jobId?: string }): Promise<unknown>;
}

export { QUEUES, defaultJobOptions, type QueueName };

export function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}
