import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { z } from 'zod';
import { defaultJobOptions, type JobDefinition, type QueueName } from './jobs/define-job.ts';

/** BullMQ connections: workers block on Redis, so they must never give up a request. */
export function workerConnection(redisUrl: string): ConnectionOptions {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false }) as unknown as ConnectionOptions;
}

const queues = new Map<string, Queue>();

/** The producer side, used by the API and the worker alike to enqueue jobs. */
export function queueFor(redisUrl: string, name: QueueName, prefix = 'parley'): Queue {
  const key = `${redisUrl}|${prefix}|${name}`;
  let q = queues.get(key);
  if (!q) {
    q = new Queue(name, { connection: new Redis(redisUrl, { maxRetriesPerRequest: 3 }) as unknown as ConnectionOptions, prefix, defaultJobOptions });
    queues.set(key, q);
  }
  return q;
}

/** Enqueues a job after validating its payload; `jobId` de-duplicates. */
export async function enqueue<P extends z.ZodType>(redisUrl: string, def: JobDefinition<P>, payload: z.input<P>, opts: { jobId?: string; delay?: number; prefix?: string } = {}) {
  const data = def.payload.parse(payload);
  return queueFor(redisUrl, def.queue, opts.prefix).add(def.name, data, { ...def.options, jobId: opts.jobId, delay: opts.delay });
}

export async function closeQueues() {
  await Promise.allSettled([...queues.values()].map((q) => q.close()));
  queues.clear();
}
