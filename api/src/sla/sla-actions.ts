import { z } from 'zod';

/** What a tenant wants done when an SLA warns or breaches (stored in Sla.actions). */
export const slaActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('raise_priority') }),
  z.object({ type: z.literal('move_queue'), queueId: z.uuid() }),
  z.object({ type: z.literal('set_responsible'), userId: z.uuid() }),
]);
export const slaActionsSchema = z.object({
  warning: z.array(slaActionSchema).max(10).default([]),
  breach: z.array(slaActionSchema).max(10).default([]),
});
export type SlaAction = z.infer<typeof slaActionSchema>;
export type SlaActions = z.infer<typeof slaActionsSchema>;

/** Stored actions, read leniently: an unreadable value means "no actions" (validated on write). */
export function readSlaActions(stored: unknown): SlaActions {
  const parsed = slaActionsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : { warning: [], breach: [] };
}
