import { z } from 'zod';
import type { JobContract } from '../jobs/job-queue.ts';

// The mail channel's job contracts (name, queue, payload of ids only, retry policy). The worker
// binds handlers to them (worker/src/jobs/mail-*); the API and the receivers enqueue them.

const ids = { tenantId: z.uuid() };

/** Parse, thread and file one stored inbound mail. */
export const mailInProcess = {
  name: 'mail-in.process.v1',
  queue: 'mail-in',
  payload: z.object({ ...ids, inboundMailId: z.uuid() }),
  options: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
} satisfies JobContract<z.ZodType>;

/** Send one outbox row. */
export const mailOutSend = {
  name: 'mail-out.send.v1',
  queue: 'mail-out',
  payload: z.object({ ...ids, outgoingMailId: z.uuid() }),
  options: { attempts: 12, backoff: { type: 'exponential', delay: 5_000 } },
} satisfies JobContract<z.ZodType>;

/** Fetch new mail from one IMAP account. */
export const mailAccountPoll = {
  name: 'mail-accounts.poll.v1',
  queue: 'mail-in',
  payload: z.object({ ...ids, mailAccountId: z.uuid() }),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
} satisfies JobContract<z.ZodType>;

/** Job ids: one job per row, so enqueueing twice is harmless. */
export const mailInJobId = (inboundMailId: string) => `in-${inboundMailId}`;
export const mailOutJobId = (outgoingMailId: string, attempt = 0) => `out-${outgoingMailId}-${attempt}`;
