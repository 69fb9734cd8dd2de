import { mailOutSend } from '@parley/api/mail/mail-jobs.ts';
import { sendOutgoingMail } from '@parley/api/mail/outbound/send-outgoing-mail.ts';
import { defineJob } from '../define-job.ts';

/** Send one outbox row (crash-safe; see send-outgoing-mail.ts). Transient SMTP errors retry with backoff. */
export const mailOutSendJob = defineJob({
  ...mailOutSend,
  handle: async (services, p) => ({ result: await sendOutgoingMail(services, p.tenantId, p.outgoingMailId) }),
});
