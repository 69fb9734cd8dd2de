import { enqueue } from '../../jobs/job-queue.ts';
import type { Services } from '../../services.ts';
import type { MailContext } from '../../tickets/ticket-context.ts';
import { mailOutJobId, mailOutSend } from '../mail-jobs.ts';

/** Enqueues sending of outbox rows after their transaction committed; the sweeper covers a lost enqueue. */
export async function enqueueOutgoingMails(services: Services, tenantId: string, ids: string[]) {
  for (const outgoingMailId of ids) {
    try {
      await enqueue(services.config.REDIS_URL, mailOutSend, { tenantId, outgoingMailId }, { jobId: mailOutJobId(outgoingMailId), prefix: services.config.QUEUE_PREFIX });
    } catch (err) {
      services.log.warn({ err: (err as Error).message, outgoingMailId }, 'could not enqueue outgoing mail; the sweeper will');
    }
  }
}

import { ratingLinkOptions } from '../../ratings/rating-links.ts';

/** The mail channel as the ticket use cases see it. */
export function mailContext(services: Services): MailContext {
  return {
    domain: services.config.MAIL_DOMAIN,
    ratingLinks: ratingLinkOptions(services.config),
    outgoingRecorded: (tenantId, ids) => enqueueOutgoingMails(services, tenantId, ids),
  };
}
