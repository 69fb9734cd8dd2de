import { z } from 'zod';
import { defineJob } from '../define-job.ts';
import { archiveAllTenants } from './handler.ts';

/** Nightly: archives tickets closed longer than each tenant's archiveAfterDays. */
export const archiveTicketsJob = defineJob({
  name: 'tickets.archive.v1',
  queue: 'maintenance',
  payload: z.object({}),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  schedule: { pattern: '23 2 * * *' },
  handle: (services) => archiveAllTenants(services),
});
