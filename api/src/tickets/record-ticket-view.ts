import { withTenant } from '@parley/db';
import { NotFoundError } from '../errors/app-error.ts';
import { loadQueueAccess, ticketVisibility } from './queue-access.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';
import { upsertSeenMark } from './mark-ticket-seen.ts';

/** Logs that the viewer opened a ticket: who, when, from which IP and browser (and marks it seen). */
export async function recordTicketView(ctx: UseCaseContext, ticketId: string) {
  const { viewer } = ctx;
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const access = viewer.kind === 'agent' ? await loadQueueAccess(tx, viewer) : null;
    const ticket = await tx.ticket.findFirst({ where: { id: ticketId, ...ticketVisibility(viewer, access) }, select: { id: true } });
    if (!ticket) throw new NotFoundError('Ticket');
    await upsertSeenMark(tx, viewer, ticketId, clock(ctx));
    return tx.ticketView.create({
      data: {
        tenantId: viewer.tenantId, ticketId,
        userId: viewer.kind === 'agent' ? viewer.userId : null,
        customerUserId: viewer.kind === 'customer' ? viewer.customerUserId : null,
        ip: ctx.meta?.ip ?? null, userAgent: ctx.meta?.userAgent?.slice(0, 500) ?? null, viewedAt: clock(ctx),
      },
    });
  });
}
