import { z } from 'zod';

/** What a tenant wants done when an SLA warns or breaches (stored in Sla.actions). */
export const slaActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('raise_priority') }),
  z.object({ type: z.literal('move_queue'), queueId: z.uuid() }),
  z.object({ type: z.literal('set_responsible'), userId: z.uuid() }),
]);
/**
 * Who is notified when a target warns or breaches: "assigned" = the ticket's owner and
 * responsible (nobody assigned: the queue's agents), "queue" = every agent of the queue (and the
 * admins) always, "none" = no notification (the actions and the event still happen).
 */
export const SLA_NOTIFY = ['assigned', 'queue', 'none'] as const;
export type SlaNotify = (typeof SLA_NOTIFY)[number];
export const slaActionsSchema = z.object({
  warning: z.array(slaActionSchema).max(10).default([]),
  breach: z.array(slaActionSchema).max(10).default([]),
  notify: z.enum(SLA_NOTIFY).default('assigned'),
});
export type SlaAction = z.infer<typeof slaActionSchema>;
export type SlaActions = z.infer<typeof slaActionsSchema>;

/** Stored actions, read leniently: an unreadable value means "no actions" (validated on write). */
export function readSlaActions(stored: unknown): SlaActions {
  const parsed = slaActionsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : { warning: [], breach: [], notify: 'assigned' };
}
