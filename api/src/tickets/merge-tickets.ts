import { withTenant } from '@parley/db';
import type { AgentViewer } from '../auth/viewer.ts';
import { ValidationError } from '../errors/app-error.ts';
import { stateOfType } from './add-article.ts';
import { recordHistory } from './history.ts';
import { loadTicketForUpdate, loadTicketPairForUpdate } from './load-ticket.ts';
import { requirePermission } from './queue-access.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';

type AgentContext = UseCaseContext & { viewer: AgentViewer };

/**
 * Merges `sourceId` into `targetId`: the source goes to the merged state and points at the
 * target, whose thread then shows the source's articles (they stay where they are, so the merge
 * can be undone exactly). History on both tickets.
 */
export async function mergeTickets(ctx: AgentContext, sourceId: string, targetId: string) {
  if (sourceId === targetId) throw new ValidationError('A ticket cannot be merged into itself', 'targetId');
  const { viewer } = ctx;
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const { source, target, access } = await loadTicketPairForUpdate(tx, viewer, sourceId, targetId);
    requirePermission(access!, source.queueId, 'RW', 'merge this ticket');
    requirePermission(access!, target.queueId, 'RW', 'merge into that ticket');
    if (['MERGED', 'REMOVED'].includes(source.state.type)) throw new ValidationError('The source ticket is already merged or removed', 'sourceId');
    if (['MERGED', 'REMOVED'].includes(target.state.type)) throw new ValidationError('Cannot merge into a merged or removed ticket', 'targetId');
    const merged = await stateOfType(tx, 'MERGED');
    const now = clock(ctx);
    const updated = await tx.ticket.update({
      where: { id: source.id },
      data: { stateId: merged.id, mergedIntoId: target.id, lockedById: null, lockedAt: null, closedAt: now, updatedAt: now },
    });
    await recordHistory(tx, viewer.tenantId, source.id, { userId: viewer.userId }, [
      { action: 'merged_into', field: 'state', oldValue: source.state.name, newValue: target.number },
    ]);
    await recordHistory(tx, viewer.tenantId, target.id, { userId: viewer.userId }, [
      { action: 'merged_from', newValue: source.number },
    ]);
    await tx.ticket.update({ where: { id: target.id }, data: { updatedAt: now } });
    return { source: updated, target };
  });
}

/** Undoes a merge: the source gets back the state it had before (from its history). */
export async function unmergeTicket(ctx: AgentContext, sourceId: string) {
  const { viewer } = ctx;
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const { ticket, access } = await loadTicketForUpdate(tx, viewer, sourceId);
    requirePermission(access!, ticket.queueId, 'RW', 'undo a merge');
    if (ticket.state.type !== 'MERGED' || !ticket.mergedIntoId) throw new ValidationError('This ticket is not merged', 'ticketId');
    const entry = await tx.ticketHistory.findFirst({ where: { ticketId: ticket.id, action: 'merged_into' }, orderBy: { createdAt: 'desc' } });
    const previous = (entry?.oldValue && await tx.ticketState.findFirst({ where: { name: entry.oldValue, active: true } })) || await stateOfType(tx, 'OPEN');
    const target = await tx.ticket.findUniqueOrThrow({ where: { id: ticket.mergedIntoId }, select: { id: true, number: true } });
    const now = clock(ctx);
    const updated = await tx.ticket.update({
      where: { id: ticket.id },
      data: { stateId: previous.id, mergedIntoId: null, closedAt: previous.type === 'CLOSED' ? now : null, updatedAt: now },
    });
    await recordHistory(tx, viewer.tenantId, ticket.id, { userId: viewer.userId }, [
      { action: 'unmerged', field: 'state', oldValue: ticket.state.name, newValue: previous.name },
    ]);
    await recordHistory(tx, viewer.tenantId, target.id, { userId: viewer.userId }, [{ action: 'unmerged_from', newValue: ticket.number }]);
    return updated;
  });
}
