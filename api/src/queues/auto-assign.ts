import { withTenant, type Db } from '@parley/db';
import type { AgentViewer } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import { recordHistory } from '../tickets/history.ts';

export type AutoAssignStrategy = 'ROUND_ROBIN' | 'LEAST_LOADED';

/** Turns automatic assignment of a queue on (a strategy) or off (null). Admins only. */
export async function setQueueAutoAssign(db: Db, viewer: AgentViewer, queueId: string, strategy: AutoAssignStrategy | null) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators can configure automatic assignment');
  return withTenant(db, viewer.tenantId, async (tx) => {
    const queue = await tx.queue.findFirst({ where: { id: queueId } });
    if (!queue) throw new NotFoundError('Queue');
    if (strategy === null) {
      await tx.queueAutoAssign.deleteMany({ where: { queueId } });
    } else {
      await tx.queueAutoAssign.upsert({
        where: { tenantId_queueId: { tenantId: viewer.tenantId, queueId } },
        create: { tenantId: viewer.tenantId, queueId, strategy }, update: { strategy },
      });
    }
    return tx.queue.findUniqueOrThrow({ where: { id: queueId }, include: { autoAssign: true } });
  });
}

/**
 * Gives an ownerless ticket an owner when its queue assigns automatically: round robin (the next
 * eligible agent after the last one assigned, in a stable order) or least loaded (fewest open,
 * non-archived tickets owned; ties by order). Eligible: active agents with rw or owner permission
 * on the queue through a role ("available" = active: there is no presence tracking yet).
 * Serialised per queue by locking its policy row; returns the new owner or null.
 */
export async function autoAssignTicket(db: Db, tenantId: string, ticketId: string): Promise<{ ownerId: string; queueId: string } | null> {
  return withTenant(db, tenantId, async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Ticket" WHERE "id" = ${ticketId}::uuid FOR UPDATE`;
    const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, include: { state: true } });
    if (!ticket || ticket.ownerId || !['NEW', 'OPEN'].includes(ticket.state.type)) return null;
    const locked = await tx.$queryRaw<Array<{ strategy: AutoAssignStrategy; lastAssignedUserId: string | null; id: string }>>`
      SELECT "id", "strategy", "lastAssignedUserId" FROM "QueueAutoAssign" WHERE "queueId" = ${ticket.queueId}::uuid FOR UPDATE`;
    const policy = locked[0];
    if (!policy) return null;
    const agents = await tx.user.findMany({
      where: { active: true, roles: { some: { role: { permissions: { some: { queueId: ticket.queueId, permissions: { hasSome: ['RW', 'OWNER'] } } } } } } },
      select: { id: true }, orderBy: { id: 'asc' },
    });
    if (agents.length === 0) return null;
    let ownerId: string;
    if (policy.strategy === 'ROUND_ROBIN') {
      const last = agents.findIndex((a) => a.id === policy.lastAssignedUserId);
      ownerId = agents[(last + 1) % agents.length].id;
    } else {
      const loads = await tx.ticket.groupBy({
        by: ['ownerId'], _count: { _all: true },
        where: { ownerId: { in: agents.map((a) => a.id) }, archived: false, state: { type: { in: ['NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE'] } } },
      });
      const load = new Map(loads.map((l) => [l.ownerId, l._count._all]));
      ownerId = agents.reduce((best, a) => ((load.get(a.id) ?? 0) < (load.get(best.id) ?? 0) ? a : best), agents[0]).id;
    }
    await tx.queueAutoAssign.update({ where: { id: policy.id }, data: { lastAssignedUserId: ownerId } });
    await tx.ticket.update({ where: { id: ticketId }, data: { ownerId } });
    await recordHistory(tx, tenantId, ticketId, {}, [{ action: 'owner_changed', field: 'owner', oldValue: null, newValue: ownerId }]);
    return { ownerId, queueId: ticket.queueId };
  });
}
