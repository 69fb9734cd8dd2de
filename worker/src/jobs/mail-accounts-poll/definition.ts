import { z } from 'zod';
import { mailAccountPoll } from '@parley/api/mail/mail-jobs.ts';
import { pollMailAccount } from '@parley/api/mail/inbound/poll-mail-account.ts';
import { enqueue } from '@parley/api/jobs/job-queue.ts';
import { defineJob } from '../define-job.ts';

/** Fetch one IMAP account (IDLE for MAIL_IMAP_IDLE_SECONDS where the server has it; 0 = plain polling). */
export const mailAccountPollJob = defineJob({
  ...mailAccountPoll,
  handle: (services, p) => pollMailAccount(services, p.tenantId, p.mailAccountId, { idleMs: services.config.MAIL_IMAP_IDLE_SECONDS * 1000 }),
});

/** Every minute: one poll job per active account (the job id per minute keeps one in flight per account and minute). */
export const mailAccountsScheduleJob = defineJob({
  name: 'mail-accounts.schedule.v1',
  queue: 'maintenance',
  payload: z.object({}),
  schedule: { every: 60_000 },
  handle: async (services) => {
    const accounts = await services.systemDb.mailAccount.findMany({ where: { active: true }, select: { id: true, tenantId: true } });
    const bucket = Math.floor(Date.now() / 60_000);
    for (const a of accounts) {
      await enqueue(services.config.REDIS_URL, mailAccountPoll, { tenantId: a.tenantId, mailAccountId: a.id }, { jobId: `poll-${a.id}-${bucket}`, prefix: services.config.QUEUE_PREFIX });
    }
    return { accounts: accounts.length };
  },
});
