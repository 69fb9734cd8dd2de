import { z } from 'zod';
import { defineJob } from '../define-job.ts';
import { purgeExpiredSessions } from './handler.ts';

/** Deletes expired login sessions of all tenants, hourly. */
export const purgeSessionsJob = defineJob({
  name: 'sessions.purge-expired.v1',
  queue: 'maintenance',
  payload: z.object({}),
  schedule: { pattern: '17 * * * *' },
  handle: (services) => purgeExpiredSessions(services),
});
