import { z } from 'zod';
import { reportRequestMeterEvent } from '@parley/api/billing/meter-events.ts';
import { defineJob } from '../define-job.ts';

/** The job id that de-duplicates reports of one ticket's per-request charge. */
export const meterEventJobId = (tenantId: string, ticketId: string) => `meter-${tenantId}-${ticketId}`;

/**
 * Reports one ticket's pay-per-request charge to Stripe as a meter event (jobId `meter-<tenant>-<ticket>`).
 * Idempotent: a run after a successful one ends at the MeterEventReport row; a run after a
 * crash between Stripe and that row is answered by Stripe's identifier de-duplication.
 * Retries (Stripe down) with exponential backoff, about 8 minutes in all.
 */
export const billingMeterEventJob = defineJob({
  name: 'billing.meter-event.v1',
  queue: 'billing',
  payload: z.object({ tenantId: z.uuid(), ticketId: z.uuid() }),
  options: { attempts: 8, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  handle: (services, { tenantId, ticketId }) => reportRequestMeterEvent(services, tenantId, ticketId),
});
