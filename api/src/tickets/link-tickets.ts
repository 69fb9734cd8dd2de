import { withTenant } from '@parley/db';
import type { AgentViewer } from '../auth/viewer.ts';
import { ValidationError } from '../errors/app-error.ts';
import { recordHistory } from './history.ts';
import { loadTicketPairForUpdate } from './load-ticket.ts';
import { requirePermission } from './queue-access.ts';
import type { UseCaseContext } from './ticket-context.ts';

/** Links two tickets (normal, or parent → child); linking again is a no-op. */
export async function linkTickets(ctx: UseCaseContext & { viewer: AgentViewer }, sourceId: string, targetId: string, kind: 'NORMAL' | 'PARENT_CHILD' = 'NORMAL') {
  if (sourceId === targetId) throw new ValidationError('A ticket cannot be linked to itself', 'targetId');
  const { viewer } = ctx;
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const { source, target, access } = await loadTicketPairForUpdate(tx, viewer, sourceId, targetId);
    requirePermission(access!, source.queueId, 'RW', 'link this ticket');
    const existing = await tx.ticketLink.findUnique({ where: { tenantId_sourceTicketId_targetTicketId: { tenantId: viewer.tenantId, sourceTicketId: source.id, targetTicketId: target.id } } });
    if (existing) return existing;
    const link = await tx.ticketLink.create({ data: { tenantId: viewer.tenantId, sourceTicketId: source.id, targetTicketId: target.id, kind } });
    await recordHistory(tx, viewer.tenantId, source.id, { userId: viewer.userId }, [{ action: 'linked', field: kind, newValue: target.number }]);
    await recordHistory(tx, viewer.tenantId, target.id, { userId: viewer.userId }, [{ action: 'linked', field: kind, newValue: source.number }]);
    return link;
  });
}
