import { z } from 'zod';
import { TICKET_EVENT_JOB } from '@parley/api/events/event-bus.ts';
import { TICKET_EVENT_KINDS } from '@parley/api/events/ticket-event.ts';
import { defineJob } from '../define-job.ts';
import { handleTicketEvent } from './handler.ts';

/** The worker's side of the event stream: one job per published ticket event (jobId `ev-<eventId>`). */
export const ticketEventJob = defineJob({
  name: TICKET_EVENT_JOB.name,
  queue: TICKET_EVENT_JOB.queue,
  payload: z.object({
    id: z.uuid(), kind: z.enum(TICKET_EVENT_KINDS), tenantId: z.uuid(), ticketId: z.uuid(), queueId: z.uuid(),
    previousQueueId: z.uuid().nullish(), customerUserId: z.uuid().nullable(), customerCompanyId: z.uuid().nullable(),
    at: z.string(), actorUserId: z.uuid().nullish(), articleId: z.uuid().nullish(), internal: z.boolean().optional(),
    changes: z.array(z.string()).optional(), slaTarget: z.enum(['FIRST_RESPONSE', 'UPDATE', 'SOLUTION']).nullish(), dueAt: z.string().nullish(),
    origin: z.enum(['automation']).nullish(),
  }),
  handle: (services, event) => handleTicketEvent(services, event),
});
