import { z } from 'zod';
import { defineJob } from '../define-job.ts';
import { handleEscalationMoment } from './handler.ts';

/**
 * A ticket's next SLA moment (warning or breach), as a delayed job with the predictable id
 * `esc-<ticketId>-<epoch ms>`; the handler recomputes and fires what is due, then schedules the next.
 */
export const slaEscalationJob = defineJob({
  name: 'sla.escalation.v1',
  queue: 'escalation',
  payload: z.object({ tenantId: z.uuid(), ticketId: z.uuid(), at: z.number().int() }),
  options: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  handle: (services, payload) => handleEscalationMoment(services, payload),
});
