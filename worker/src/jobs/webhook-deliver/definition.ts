import { z } from 'zod';
import { sendWebhookDelivery } from '@parley/api/partners/webhooks.ts';
import { defineJob } from '../define-job.ts';

export const WEBHOOK_ATTEMPTS = 8;

/**
 * Sends one webhook delivery (jobId `wh-<deliveryId>`); failures retry with exponential backoff
 * (1 s, 2 s, 4 s … about 2 min in all), the last one marks the delivery FAILED.
 */
export const webhookDeliverJob = defineJob({
  name: 'webhook.deliver.v1',
  queue: 'webhooks',
  payload: z.object({ tenantId: z.uuid(), deliveryId: z.uuid() }),
  options: { attempts: WEBHOOK_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  handle: (services, { tenantId, deliveryId }, meta) =>
    sendWebhookDelivery(services.db, tenantId, deliveryId, {
      finalAttempt: meta.attemptsMade + 1 >= WEBHOOK_ATTEMPTS, allowPrivateNetworks: services.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    }),
});
