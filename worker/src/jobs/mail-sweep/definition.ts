import { z } from 'zod';
import { defineJob } from '../define-job.ts';
import { sweepMail } from './handler.ts';

/** Every minute: re-enqueue stored mail and outbox rows whose job was lost (crash between commit and enqueue, worker killed). */
export const mailSweepJob = defineJob({
  name: 'mail.sweep.v1',
  queue: 'maintenance',
  payload: z.object({}),
  schedule: { every: 60_000 },
  handle: (services) => sweepMail(services),
});
