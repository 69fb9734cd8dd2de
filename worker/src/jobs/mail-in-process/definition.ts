import { mailInProcess } from '@parley/api/mail/mail-jobs.ts';
import { defineJob } from '../define-job.ts';
import { processInboundMail } from './handler.ts';

/** Parse, thread and file one stored inbound mail (enqueued by every way in, and by the sweeper). */
export const mailInProcessJob = defineJob({
  ...mailInProcess,
  handle: (services, payload, meta) => processInboundMail(services, payload, meta),
});
