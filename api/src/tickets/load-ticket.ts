import type { TenantTx } from '@parley/db';
import type { TenantViewer } from '../auth/viewer.ts';
import { NotFoundError } from '../errors/app-error.ts';
import { loadQueueAccess, ticketVisibility, type QueueAccess } from './queue-access.ts';

/**
 * Loads a ticket the viewer may see, locking its row for the rest of the transaction so that
 * concurrent changes to the same ticket serialise. Invisible and absent tickets look the same.
 */
export async function loadTicketForUpdate(tx: TenantTx, viewer: TenantViewer, ticketId: string) {
  const access: QueueAccess | null = viewer.kind === 'agent' ? await loadQueueAccess(tx, viewer) : null;
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Ticket" WHERE "id" = ${ticketId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new NotFoundError('Ticket');
  const ticket = await tx.ticket.findFirst({
    where: { id: ticketId, ...ticketVisibility(viewer, access) },
    include: { state: true, lockedBy: { select: { id: true, name: true } } },
  });
  if (!ticket) throw new NotFoundError('Ticket');
  return { ticket, access };
}

export const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/**
 * Loads two tickets for update, locking their rows in a fixed order so that two operations on
 * the same pair in opposite directions (merge A→B and B→A) cannot deadlock.
 */
export async function loadTicketPairForUpdate(tx: TenantTx, viewer: TenantViewer, sourceId: string, targetId: string) {
  const [first, second] = [sourceId, targetId].sort();
  const a = await loadTicketForUpdate(tx, viewer, first);
  const b = await loadTicketForUpdate(tx, viewer, second);
  return {
    source: a.ticket.id === sourceId ? a.ticket : b.ticket,
    target: a.ticket.id === targetId ? a.ticket : b.ticket,
    access: a.access,
  };
}
