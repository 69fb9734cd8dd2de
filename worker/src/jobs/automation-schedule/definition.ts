import { z } from 'zod';
import { defineJob } from '../define-job.ts';
import { runAutomationSchedule } from './handler.ts';

/** Every minute: the tenants' scheduled automation rules (idle tickets, overdue pending, …). */
export const automationScheduleJob = defineJob({
  name: 'automation.schedule.v1',
  queue: 'maintenance',
  payload: z.object({}),
  options: { attempts: 1, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 24 * 3600 } },
  schedule: { every: 60_000 },
  handle: (services) => runAutomationSchedule(services),
});
