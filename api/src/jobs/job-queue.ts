import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { z } from 'zod';

/**
 * The producer side of the job queues, shared by the API (which enqueues, e.g. mail received
 * over HTTP) and the worker (which also consumes: worker/src/run-workers.ts). A job contract is
 * what both sides must agree on: its versioned name, its queue and its payload of ids only.
 */
export const QUEUES = ['maintenance', 'mail-in', 'mail-out', 'escalation', 'automation', 'webhooks', 'billing', 'analytics'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobContract<P extends z.ZodType> {
  name: string;
  queue: QueueName;
  payload: P;
  options?: JobsOptions;
}

/** Retries with exponential backoff; finished jobs are kept for a while, not forever. */
export const defaultJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const queues = new Map<string, Queue>();

/** The producer for one queue (cached per Redis URL and prefix). */
export function queueFor(redisUrl: string, name: QueueName, prefix = 'parley'): Queue {
  const key = `${redisUrl}|${prefix}|${name}`;
  let q = queues.get(key);
  if (!q) {
    q = new Queue(name, { connection: new Redis(redisUrl, { maxRetriesPerRequest: 3 }) as unknown as ConnectionOptions, prefix, defaultJobOptions });
    q.on('error', () => { /* reconnects by itself; callers see failed adds */ });
    queues.set(key, q);
  }
  return q;
}

/** Enqueues a job after validating its payload; `jobId` de-duplicates. */
export async function enqueue<P extends z.ZodType>(redisUrl: string, def: JobContract<P>, payload: z.input<P>, opts: { jobId?: string; delay?: number; prefix?: string } = {}) {
  const data = def.payload.parse(payload);
  return queueFor(redisUrl, def.queue, opts.prefix).add(def.name, data, { ...def.options, jobId: opts.jobId, delay: opts.delay });
}

export async function closeQueues() {
  await Promise.allSettled([...queues.values()].map((q) => q.close()));
  queues.clear();
}
