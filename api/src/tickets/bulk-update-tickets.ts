import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import type { AgentViewer } from '../auth/viewer.ts';
import type { UseCaseContext } from './ticket-context.ts';
import {
  applyTicketChanges, ownerChange, priorityChange, queueChange, stateChange, type PlannedChange,
} from './update-ticket.ts';

export const BULK_MAX_TICKETS = 100;

const Input = z.object({
  ticketIds: z.array(z.uuid()).min(1).max(BULK_MAX_TICKETS),
  changes: z.object({
    stateId: z.uuid().optional(),
    pendingUntil: z.date().nullable().optional(),
    priorityId: z.uuid().optional(),
    /** null clears the owner; absent leaves it */
    ownerId: z.uuid().nullable().optional(),
    queueId: z.uuid().optional(),
  }).refine((c) => c.stateId !== undefined || c.priorityId !== undefined || c.ownerId !== undefined || c.queueId !== undefined, {
    message: 'Choose at least one change',
  }),
});
export type BulkUpdateInput = z.input<typeof Input>;

export type BulkTicketOutcome =
  | { ticketId: string; ticket: Awaited<ReturnType<typeof applyTicketChanges>>; error: null }
  | { ticketId: string; ticket: null; error: AppError };

/**
 * Applies the same changes to many tickets, each through the single-ticket use cases (same
 * permission checks, history and events) in a transaction of its own, so one refused ticket
 * (locked by another agent, no permission, not visible) never fails the others. The queue move
 * comes last: the other changes are checked against the queue the ticket is in now.
 */
export async function bulkUpdateTickets(ctx: UseCaseContext & { viewer: AgentViewer }, raw: BulkUpdateInput): Promise<BulkTicketOutcome[]> {
  const input = parseInput(Input, raw);
  const { changes } = input;
  const ticketIds = [...new Set(input.ticketIds)];
  const outcomes: BulkTicketOutcome[] = [];
  for (const ticketId of ticketIds) {
    try {
      const plan: PlannedChange[] = [];
      if (changes.stateId) plan.push(stateChange(ctx, { ticketId, stateId: changes.stateId, pendingUntil: changes.pendingUntil ?? null }));
      if (changes.priorityId) plan.push(priorityChange(ctx, { ticketId, priorityId: changes.priorityId }));
      if (changes.ownerId !== undefined) plan.push(ownerChange(ctx, { ticketId, ownerId: changes.ownerId }));
      if (changes.queueId) plan.push(queueChange(ctx, { ticketId, queueId: changes.queueId }));
      const ticket = await applyTicketChanges(ctx, ticketId, plan, { respectLock: true });
      outcomes.push({ ticketId, ticket, error: null });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push({ ticketId, ticket: null, error });
    }
  }
  return outcomes;
}
