import { z } from 'zod';
import { formatPath } from './calendar-schema.ts';
import { SlaError } from './errors.ts';

/**
 * Targets of one SLA, in minutes of business time of the ticket's calendar. null, absent or 0
 * means "no such target" (as in OTRS). warnPercent: a warning fires once that share of a
 * target's allowed time has elapsed (80 -> warn at 80 %); null = no warnings.
 */
export type SlaTargets = {
  firstResponseMinutes?: number | null;
  updateMinutes?: number | null;
  solutionMinutes?: number | null;
  warnPercent?: number | null;
};

const minutes = z.number().int().min(0).max(10_000_000).nullish();

export const slaTargetsSchema = z.object({
  firstResponseMinutes: minutes,
  updateMinutes: minutes,
  solutionMinutes: minutes,
  warnPercent: z.number().min(1).max(99).nullish(),
});

export function validateSlaTargets(input: unknown): SlaTargets {
  const result = slaTargetsSchema.safeParse(input);
  if (!result.success) {
    throw new SlaError(
      'INVALID_SLA',
      'Invalid SLA targets',
      result.error.issues.map((i) => `${formatPath(i.path) || '(sla)'}: ${i.message}`),
    );
  }
  return result.data;
}
