import { z } from 'zod';
import { enqueue, type JobContract } from '../jobs/job-queue.ts';

export const WEBHOOK_ATTEMPTS = 8;

/**
 * Sends one webhook delivery; failures retry with exponential backoff (1 s, 2 s, 4 s … about
 * 2 min in all), the last one marks the delivery FAILED. Shared by the worker (consumer) and the
 * API (redelivery, automation rule calls).
 */
export const webhookDeliver = {
  name: 'webhook.deliver.v1',
  queue: 'webhooks',
  payload: z.object({ tenantId: z.uuid(), deliveryId: z.uuid() }),
  options: { attempts: WEBHOOK_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
} satisfies JobContract<z.ZodType>;

/** Enqueues the send of each delivery; `jobKey` (default: the first send) de-duplicates. */
export async function enqueueWebhookDeliveries(config: { REDIS_URL: string; QUEUE_PREFIX?: string }, tenantId: string, deliveryIds: string[], jobKey = (id: string) => `wh-${id}`) {
  for (const deliveryId of deliveryIds) {
    await enqueue(config.REDIS_URL, webhookDeliver, { tenantId, deliveryId }, { jobId: jobKey(deliveryId), prefix: config.QUEUE_PREFIX });
  }
}

/** For automation rules' webhook calls: enqueue the recorded deliveries after commit. */
export function webhookSink(config: { REDIS_URL: string; QUEUE_PREFIX?: string }) {
  return { deliveriesRecorded: (tenantId: string, deliveryIds: string[]) => enqueueWebhookDeliveries(config, tenantId, deliveryIds) };
}
