import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';

/** The producer side lives in the api package (the API enqueues jobs too). */
export { queueFor, enqueue, closeQueues } from '@parley/api/jobs/job-queue.ts';

/** BullMQ connections: workers block on Redis, so they must never give up a request. */
export function workerConnection(redisUrl: string): ConnectionOptions {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false }) as unknown as ConnectionOptions;
}
