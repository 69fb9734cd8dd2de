import { withTenant, type WatchKind } from '@parley/db';
import type { AgentViewer } from '../auth/viewer.ts';
import { NotFoundError } from '../errors/app-error.ts';
import { loadQueueAccess, ticketVisibility } from './queue-access.ts';
import type { UseCaseContext } from './ticket-context.ts';

/** Watch (notifications) or star (favourite) a ticket, or stop; idempotent. */
export async function setTicketWatch(ctx: UseCaseContext & { viewer: AgentViewer }, ticketId: string, kind: WatchKind, on: boolean) {
  const { viewer } = ctx;
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const access = await loadQueueAccess(tx, viewer);
    const ticket = await tx.ticket.findFirst({ where: { id: ticketId, ...ticketVisibility(viewer, access) } });
    if (!ticket) throw new NotFoundError('Ticket');
    const key = { tenantId: viewer.tenantId, ticketId, userId: viewer.userId, kind };
    if (on) await tx.ticketWatch.upsert({ where: { tenantId_ticketId_userId_kind: key }, create: key, update: {} });
    else await tx.ticketWatch.deleteMany({ where: key });
    return ticket;
  });
}
