import { z } from 'zod';
import { runTicketTimers } from '@parley/api/tickets/ticket-timers.ts';
import { defineJob } from '../define-job.ts';

/** Every minute: pending reminders, pending auto-close, idle lock expiry (api/src/tickets/ticket-timers.ts). */
export const ticketTimersJob = defineJob({
  name: 'tickets.timers.v1',
  queue: 'escalation',
  payload: z.object({}),
  options: { attempts: 1, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 24 * 3600 } },
  schedule: { every: 60_000 },
  handle: (services) => runTicketTimers(services.db, services.systemDb, services.events),
});
