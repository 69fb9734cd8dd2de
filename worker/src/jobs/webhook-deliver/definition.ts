import { sendWebhookDelivery } from '@parley/api/partners/webhooks.ts';
import { WEBHOOK_ATTEMPTS, webhookDeliver } from '@parley/api/partners/webhook-jobs.ts';
import { defineJob } from '../define-job.ts';

export { WEBHOOK_ATTEMPTS };

/**
 * Sends one webhook delivery (jobId `wh-<deliveryId>`, `wh-<deliveryId>-r<n>` for a redelivery);
 * failures retry with exponential backoff, the last one marks the delivery FAILED.
 */
export const webhookDeliverJob = defineJob({
  ...webhookDeliver,
  handle: (services, { tenantId, deliveryId }, meta) =>
    sendWebhookDelivery(services.db, services.secrets, tenantId, deliveryId, {
      finalAttempt: meta.attemptsMade + 1 >= WEBHOOK_ATTEMPTS, allowPrivateNetworks: services.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    }),
});
