import { withTenant, type Permission, type TenantTx } from '@parley/db';
import { z } from 'zod';
import { actorOf, type TenantViewer } from '../auth/viewer.ts';
import { ForbiddenError, LockedError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { refundIncident } from '../billing/incident-ledger.ts';
import { recordHistory, type HistoryEntry } from './history.ts';
import { publishTicketEvent } from '../events/publish-ticket-event.ts';
import { loadTicketForUpdate } from './load-ticket.ts';
import { requirePermission } from './queue-access.ts';
import { restoreFromArchive } from './restore-archived.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';

type Loaded = Awaited<ReturnType<typeof loadTicketForUpdate>>;

/** One attribute change: the queue permission it needs and how to compute the update. */
export interface TicketChange {
  permission: Permission;
  what: string;
  change: (tx: TenantTx, loaded: Loaded) => Promise<{ data: Record<string, unknown>; history: HistoryEntry[] }>;
}

export interface ApplyOptions {
  /** Refuse (LockedError) when another agent holds the lock; bulk changes never override someone's work. */
  respectLock?: boolean;
}

/**
 * Shared frame of the attribute changes: lock the row, check the queue permission, let each
 * change compute its update and history, write all of them in one transaction, publish once.
 */
export async function applyTicketChanges(ctx: UseCaseContext, ticketId: string, changes: TicketChange[], options: ApplyOptions = {}) {
  const { viewer } = ctx;
  const history: HistoryEntry[] = [];
  let previousQueueId = '';
  const ticket = await withTenant(ctx.db, viewer.tenantId, async (tx) => {
    let current: Loaded['ticket'] | null = null;
    let updated: { queueId: string } | null = null;
    for (const { permission, what, change } of changes) {
      const loaded = await loadTicketForUpdate(tx, viewer, ticketId);
      current = loaded.ticket;
      if (!previousQueueId) previousQueueId = loaded.ticket.queueId;
      if (viewer.kind !== 'agent') throw new ForbiddenError(`Customers cannot ${what}`);
      const { lockedById, lockedBy } = loaded.ticket;
      if (options.respectLock && lockedById && lockedById !== viewer.userId && lockedBy) throw new LockedError(lockedBy);
      requirePermission(loaded.access!, loaded.ticket.queueId, permission, what);
      const step = await change(tx, loaded);
      if (step.history.length === 0) continue;
      updated = await tx.ticket.update({ where: { id: ticketId }, data: { ...step.data, updatedAt: clock(ctx) } });
      await recordHistory(tx, viewer.tenantId, ticketId, actorOf(viewer), step.history);
      history.push(...step.history);
    }
    return updated ?? current!;
  });
  if (history.length > 0) {
    await publishTicketEvent(ctx, 'TICKET_UPDATED', ticket as never, {
      changes: history.map((h) => h.field ?? h.action),
      previousQueueId: previousQueueId !== ticket.queueId ? previousQueueId : null,
    });
  }
  return ticket as Awaited<ReturnType<TenantTx['ticket']['update']>>;
}

/** A change of one ticket, ready for applyTicketChanges (bulkUpdateTickets combines several). */
export interface PlannedChange extends TicketChange { ticketId: string }

const planned = (ticketId: string, permission: Permission, what: string, change: TicketChange['change']): PlannedChange =>
  ({ ticketId, permission, what, change });
const run = (ctx: UseCaseContext, p: PlannedChange) => applyTicketChanges(ctx, p.ticketId, [p]);

const ids = z.object({ ticketId: z.uuid(), value: z.uuid().nullable() });

export function stateChange(ctx: UseCaseContext, raw: { ticketId: string; stateId: string; pendingUntil?: Date | null }): PlannedChange {
  const input = parseInput(ids.extend({ pendingUntil: z.date().nullable().optional() }), { ticketId: raw.ticketId, value: raw.stateId, pendingUntil: raw.pendingUntil });
  return planned(input.ticketId, 'RW', 'change the state', async (tx, { ticket }) => {
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
export const setTicketState = (ctx: UseCaseContext, raw: { ticketId: string; stateId: string; pendingUntil?: Date | null }) => run(ctx, stateChange(ctx, raw));

export function priorityChange(ctx: UseCaseContext, raw: { ticketId: string; priorityId: string }): PlannedChange {
  const input = parseInput(ids, { ticketId: raw.ticketId, value: raw.priorityId });
  return planned(input.ticketId, 'PRIORITY', 'change the priority', async (tx, { ticket }) => {
    const priority = await tx.priority.findFirst({ where: { id: input.value!, active: true } });
    if (!priority) throw new NotFoundError('Priority');
    if (priority.id === ticket.priorityId) return { data: {}, history: [] };
    return { data: { priorityId: priority.id }, history: [{ action: 'priority_changed', field: 'priority', oldValue: ticket.priorityId, newValue: priority.id }] };
  });
}
export const setTicketPriority = (ctx: UseCaseContext, raw: { ticketId: string; priorityId: string }) => run(ctx, priorityChange(ctx, raw));

/** Moves a ticket: move_into on the target queue is needed besides rw on the current one. */
export function queueChange(ctx: UseCaseContext, raw: { ticketId: string; queueId: string }): PlannedChange {
  const input = parseInput(ids, { ticketId: raw.ticketId, value: raw.queueId });
  return planned(input.ticketId, 'RW', 'move tickets out of this queue', async (tx, { ticket, access }) => {
    const queue = await tx.queue.findFirst({ where: { id: input.value!, active: true } });
    if (!queue) throw new NotFoundError('Queue');
    requirePermission(access!, queue.id, 'MOVE_INTO', 'move tickets into that queue');
    if (queue.id === ticket.queueId) return { data: {}, history: [] };
    return { data: { queueId: queue.id }, history: [{ action: 'queue_changed', field: 'queue', oldValue: ticket.queueId, newValue: queue.id }] };
  });
}
export const moveTicket = (ctx: UseCaseContext, raw: { ticketId: string; queueId: string }) => run(ctx, queueChange(ctx, raw));

async function requireAgent(tx: TenantTx, userId: string | null) {
  if (userId === null) return;
  const agent = await tx.user.findFirst({ where: { id: userId, active: true }, select: { id: true } });
  if (!agent) throw new NotFoundError('Agent');
}

/** Sets the owner (one click reassignment); a lock held by the previous owner passes on. */
export function ownerChange(ctx: UseCaseContext, raw: { ticketId: string; ownerId: string | null }): PlannedChange {
  const input = parseInput(ids, { ticketId: raw.ticketId, value: raw.ownerId });
  return planned(input.ticketId, 'OWNER', 'change the owner', async (tx, { ticket }) => {
    await requireAgent(tx, input.value);
    if (input.value === ticket.ownerId) return { data: {}, history: [] };
    const lockPasses = ticket.lockedById && ticket.lockedById === ticket.ownerId;
    return {
      data: { ownerId: input.value, ...(lockPasses ? { lockedById: input.value, lockedAt: input.value ? clock(ctx) : null } : {}) },
      history: [{ action: 'owner_changed', field: 'owner', oldValue: ticket.ownerId, newValue: input.value }],
    };
  });
}
export const assignTicket = (ctx: UseCaseContext, raw: { ticketId: string; ownerId: string | null }) => run(ctx, ownerChange(ctx, raw));

export function responsibleChange(ctx: UseCaseContext, raw: { ticketId: string; responsibleId: string | null }): PlannedChange {
  const input = parseInput(ids, { ticketId: raw.ticketId, value: raw.responsibleId });
  return planned(input.ticketId, 'RW', 'change the responsible agent', async (tx, { ticket }) => {
    await requireAgent(tx, input.value);
    if (input.value === ticket.responsibleId) return { data: {}, history: [] };
    return { data: { responsibleId: input.value }, history: [{ action: 'responsible_changed', field: 'responsible', oldValue: ticket.responsibleId, newValue: input.value }] };
  });
}
export const setResponsible = (ctx: UseCaseContext, raw: { ticketId: string; responsibleId: string | null }) => run(ctx, responsibleChange(ctx, raw));

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
