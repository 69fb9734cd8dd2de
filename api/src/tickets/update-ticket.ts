import { withTenant, type Permission, type TenantTx } from '@parley/db';
import { z } from 'zod';
import { actorOf, type TenantViewer } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { refundIncident } from '../billing/incident-ledger.ts';
import { recordHistory, type HistoryEntry } from './history.ts';
import { publishTicketEvent } from '../events/publish-ticket-event.ts';
import { loadTicketForUpdate } from './load-ticket.ts';
import { requirePermission } from './queue-access.ts';
import { restoreFromArchive } from './restore-archived.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';

type Loaded = Awaited<ReturnType<typeof loadTicketForUpdate>>;

/**
 * Shared frame of the attribute changes: lock the row, check the queue permission, let `change`
 * compute the update and its history, write both in one transaction.
 */
async function changeTicket(
  ctx: UseCaseContext, ticketId: string, permission: Permission, what: string,
  change: (tx: TenantTx, loaded: Loaded) => Promise<{ data: Record<string, unknown>; history: HistoryEntry[] }>,
) {
  const { viewer } = ctx;
  let changed: { history: HistoryEntry[]; previousQueueId: string } | null = null;
  const ticket = await withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const loaded = await loadTicketForUpdate(tx, viewer, ticketId);
    if (viewer.kind === 'agent') requirePermission(loaded.access!, loaded.ticket.queueId, permission, what);
    else throw new ForbiddenError(`Customers cannot ${what}`);
    const { data, history } = await change(tx, loaded);
    if (history.length === 0) return loaded.ticket;
    const updated = await tx.ticket.update({ where: { id: ticketId }, data: { ...data, updatedAt: clock(ctx) } });
    await recordHistory(tx, viewer.tenantId, ticketId, actorOf(viewer), history);
    changed = { history, previousQueueId: loaded.ticket.queueId };
    return updated;
  });
  if (changed) {
    const { history, previousQueueId } = changed as { history: HistoryEntry[]; previousQueueId: string };
    await publishTicketEvent(ctx, 'TICKET_UPDATED', ticket, {
      changes: history.map((h) => h.field ?? h.action),
      previousQueueId: previousQueueId !== ticket.queueId ? previousQueueId : null,
    });
  }
  return ticket;
}

const ids = z.object({ ticketId: z.uuid(), value: z.uuid().nullable() });

export async function setTicketState(ctx: UseCaseContext, raw: { ticketId: string; stateId: string; pendingUntil?: Date | null }) {
  const input = parseInput(ids.extend({ pendingUntil: z.date().nullable().optional() }), { ticketId: raw.ticketId, value: raw.stateId, pendingUntil: raw.pendingUntil });
  return changeTicket(ctx, input.ticketId, 'RW', 'change the state', async (tx, { ticket }) => {
    const state = await tx.ticketState.findFirst({ where: { id: input.value!, active: true } });
    if (!state) throw new NotFoundError('State');
    if (state.type === 'MERGED') throw new ValidationError('Use mergeTickets to merge a ticket', 'stateId');
    const pending = state.type === 'PENDING_REMINDER' || state.type === 'PENDING_AUTO_CLOSE';
    if (pending && !input.pendingUntil) throw new ValidationError('A pending state needs a pending-until time', 'pendingUntil');
    if (state.id === ticket.stateId) return { data: {}, history: [] };
    // A rejected (removed) ticket gives its incident back.
    const refunded = state.type === 'REMOVED' && await refundIncident(tx, ticket.tenantId, ticket.id, 'rejected', ctx.viewer.kind === 'agent' ? ctx.viewer.userId : null);
    const data: Record<string, unknown> & { archived?: boolean } = {
      stateId: state.id, pendingUntil: pending ? input.pendingUntil : null,
      closedAt: state.type === 'CLOSED' ? clock(ctx) : null,
      ...(state.type === 'CLOSED' ? { lockedById: null, lockedAt: null } : {}),
    };
    const history: HistoryEntry[] = [
      { action: 'state_changed', field: 'state', oldValue: ticket.state.name, newValue: state.name },
      ...(refunded ? [{ action: 'incident_refunded', newValue: 'rejected' }] : []),
    ];
    // A change to a working state (new, open, pending) restores an archived ticket.
    if (state.type === 'NEW' || state.type === 'OPEN' || pending) restoreFromArchive(ticket, data, history);
    return { data, history };
  });
}

export async function setTicketPriority(ctx: UseCaseContext, raw: { ticketId: string; priorityId: string }) {
  const input = parseInput(ids, { ticketId: raw.ticketId, value: raw.priorityId });
  return changeTicket(ctx, input.ticketId, 'PRIORITY', 'change the priority', async (tx, { ticket }) => {
    const priority = await tx.priority.findFirst({ where: { id: input.value!, active: true } });
    if (!priority) throw new NotFoundError('Priority');
    if (priority.id === ticket.priorityId) return { data: {}, history: [] };
    return { data: { priorityId: priority.id }, history: [{ action: 'priority_changed', field: 'priority', oldValue: ticket.priorityId, newValue: priority.id }] };
  });
}

/** Moves a ticket: move_into on the target queue is needed besides rw on the current one. */
export async function moveTicket(ctx: UseCaseContext, raw: { ticketId: string; queueId: string }) {
  const input = parseInput(ids, { ticketId: raw.ticketId, value: raw.queueId });
  return changeTicket(ctx, input.ticketId, 'RW', 'move tickets out of this queue', async (tx, { ticket, access }) => {
    const queue = await tx.queue.findFirst({ where: { id: input.value!, active: true } });
    if (!queue) throw new NotFoundError('Queue');
    requirePermission(access!, queue.id, 'MOVE_INTO', 'move tickets into that queue');
    if (queue.id === ticket.queueId) return { data: {}, history: [] };
    return { data: { queueId: queue.id }, history: [{ action: 'queue_changed', field: 'queue', oldValue: ticket.queueId, newValue: queue.id }] };
  });
}

async function requireAgent(tx: TenantTx, userId: string | null) {
  if (userId === null) return;
  const agent = await tx.user.findFirst({ where: { id: userId, active: true }, select: { id: true } });
  if (!agent) throw new NotFoundError('Agent');
}

/** Sets the owner (one click reassignment); a lock held by the previous owner passes on. */
export async function assignTicket(ctx: UseCaseContext, raw: { ticketId: string; ownerId: string | null }) {
  const input = parseInput(ids, { ticketId: raw.ticketId, value: raw.ownerId });
  return changeTicket(ctx, input.ticketId, 'OWNER', 'change the owner', async (tx, { ticket }) => {
    await requireAgent(tx, input.value);
    if (input.value === ticket.ownerId) return { data: {}, history: [] };
    const lockPasses = ticket.lockedById && ticket.lockedById === ticket.ownerId;
    return {
      data: { ownerId: input.value, ...(lockPasses ? { lockedById: input.value, lockedAt: input.value ? clock(ctx) : null } : {}) },
      history: [{ action: 'owner_changed', field: 'owner', oldValue: ticket.ownerId, newValue: input.value }],
    };
  });
}

export async function setResponsible(ctx: UseCaseContext, raw: { ticketId: string; responsibleId: string | null }) {
  const input = parseInput(ids, { ticketId: raw.ticketId, value: raw.responsibleId });
  return changeTicket(ctx, input.ticketId, 'RW', 'change the responsible agent', async (tx, { ticket }) => {
    await requireAgent(tx, input.value);
    if (input.value === ticket.responsibleId) return { data: {}, history: [] };
    return { data: { responsibleId: input.value }, history: [{ action: 'responsible_changed', field: 'responsible', oldValue: ticket.responsibleId, newValue: input.value }] };
  });
}

/** A customer closes their own ticket (or an agent with rw closes it as successful). */
export async function closeTicket(ctx: UseCaseContext, ticketId: string) {
  const { viewer } = ctx;
  let closedNow = false;
  const result = await withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const { ticket, access } = await loadTicketForUpdate(tx, viewer, ticketId);
    if (viewer.kind === 'agent') requirePermission(access!, ticket.queueId, 'RW', 'close tickets');
    if (ticket.state.type === 'CLOSED') return ticket;
    if (ticket.state.type === 'MERGED' || ticket.state.type === 'REMOVED') throw new ValidationError('This ticket cannot be closed', 'ticketId');
    const closed = await tx.ticketState.findFirst({ where: { type: 'CLOSED', active: true }, orderBy: { name: 'asc' } });
    if (!closed) throw new ValidationError('The tenant has no closed state');
    const updated = await tx.ticket.update({ where: { id: ticketId }, data: { stateId: closed.id, closedAt: clock(ctx), lockedById: null, lockedAt: null } });
    await recordHistory(tx, viewer.tenantId, ticketId, actorOf(viewer as TenantViewer), [{ action: 'state_changed', field: 'state', oldValue: ticket.state.name, newValue: closed.name }]);
    closedNow = true;
    return updated;
  });
  if (closedNow) await publishTicketEvent(ctx, 'TICKET_UPDATED', result, { changes: ['state'] });
  return result;
}
