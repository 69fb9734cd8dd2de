import type { JobsOptions, RepeatOptions } from 'bullmq';
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

export const QUEUES = ['maintenance', 'mail-in', 'mail-out', 'escalation', 'automation', 'webhooks', 'billing', 'analytics'] as const;
export type QueueName = (typeof QUEUES)[number];

export function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

/** Retries with exponential backoff; finished jobs are kept for a while, not forever. */
export const defaultJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
