import { withTenant, type TenantTx } from '@parley/db';
import type { AgentViewer } from '../auth/viewer.ts';
import { ForbiddenError, LockedError } from '../errors/app-error.ts';
import { recordHistory } from './history.ts';
import { publishTicketEvent } from '../events/publish-ticket-event.ts';
import { loadTicketForUpdate } from './load-ticket.ts';
import { requirePermission } from './queue-access.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';

type LoadedTicket = Awaited<ReturnType<typeof loadTicketForUpdate>>['ticket'];

/**
 * Takes the lock for `agent` inside the caller's transaction (the row is already locked FOR
 * UPDATE, so two agents racing for it serialise here): a ticket locked by someone else gives a
 * LockedError naming them. The agent also becomes owner when the ticket has none.
 */
export async function takeLock(tx: TenantTx, agent: AgentViewer, ticket: LoadedTicket, now: Date) {
  if (ticket.lockedById === agent.userId) return ticket;
  if (ticket.lockedById && ticket.lockedBy) throw new LockedError(ticket.lockedBy);
  const updated = await tx.ticket.update({
    where: { id: ticket.id },
    data: { lockedById: agent.userId, lockedAt: now, ownerId: ticket.ownerId ?? agent.userId },
    include: { state: true, lockedBy: { select: { id: true, name: true } } },
  });
  await recordHistory(tx, agent.tenantId, ticket.id, { userId: agent.userId }, [
    { action: 'locked', field: 'lock', oldValue: null, newValue: agent.userId },
    ...(ticket.ownerId ? [] : [{ action: 'owner_changed', field: 'owner', oldValue: null, newValue: agent.userId }]),
  ]);
  return updated;
}

export async function lockTicket(ctx: UseCaseContext & { viewer: AgentViewer }, ticketId: string) {
  let wasLocked = true;
  const ticket = await withTenant(ctx.db, ctx.viewer.tenantId, async (tx) => {
    const { ticket, access } = await loadTicketForUpdate(tx, ctx.viewer, ticketId);
    requirePermission(access!, ticket.queueId, 'OWNER', 'lock tickets');
    wasLocked = ticket.lockedById === ctx.viewer.userId;
    return takeLock(tx, ctx.viewer, ticket, clock(ctx));
  });
  if (!wasLocked) await publishTicketEvent(ctx, 'TICKET_LOCKED', ticket);
  return ticket;
}

/** Releases the lock. The holder may always unlock; others need rw on the queue (take-over). */
export async function unlockTicket(ctx: UseCaseContext & { viewer: AgentViewer }, ticketId: string) {
  let unlocked = false;
  const result = await withTenant(ctx.db, ctx.viewer.tenantId, async (tx) => {
    const { ticket, access } = await loadTicketForUpdate(tx, ctx.viewer, ticketId);
    if (!ticket.lockedById) return ticket;
    if (ticket.lockedById !== ctx.viewer.userId && !access!.has(ticket.queueId, 'RW')) {
      throw new ForbiddenError('Only the lock holder or an agent with rw on the queue can unlock this ticket');
    }
    const updated = await tx.ticket.update({ where: { id: ticket.id }, data: { lockedById: null, lockedAt: null } });
    await recordHistory(tx, ctx.viewer.tenantId, ticket.id, { userId: ctx.viewer.userId }, [
      { action: 'unlocked', field: 'lock', oldValue: ticket.lockedById, newValue: null },
    ]);
    unlocked = true;
    return updated;
  });
  if (unlocked) await publishTicketEvent(ctx, 'TICKET_UNLOCKED', result);
  return result;
}
