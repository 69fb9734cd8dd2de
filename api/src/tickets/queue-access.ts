import type { Prisma, Permission, TenantTx } from '@parley/db';
import type { AgentViewer, TenantViewer } from '../auth/viewer.ts';
import { ForbiddenError } from '../errors/app-error.ts';

/**
 * What an agent may do in which queue, in OTRS terms. RW implies every permission; RO is
 * needed to see a queue's tickets at all. Admins may do everything. An API key acts for its
 * creator, but without the `tickets:write` scope only reading is left.
 */
export interface QueueAccess {
  has(queueId: string, permission: Permission): boolean;
  /** Queue ids the agent may read, or 'all'. */
  readable: string[] | 'all';
}

export async function loadQueueAccess(tx: TenantTx, viewer: AgentViewer): Promise<QueueAccess> {
  const readOnlyKey = viewer.apiKey !== null && !viewer.apiKey.scopes.includes('tickets:write');
  if (viewer.isAdmin) {
    return { readable: 'all', has: (_q, p) => !readOnlyKey || p === 'RO' };
  }
  const rows = await tx.queuePermission.findMany({
    where: { role: { users: { some: { userId: viewer.userId } } } },
    select: { queueId: true, permissions: true },
  });
  const byQueue = new Map<string, Set<Permission>>();
  for (const row of rows) {
    const set = byQueue.get(row.queueId) ?? new Set<Permission>();
    for (const p of row.permissions) set.add(p);
    byQueue.set(row.queueId, set);
  }
  const has = (queueId: string, permission: Permission) => {
    if (readOnlyKey && permission !== 'RO') return false;
    const set = byQueue.get(queueId);
    return !!set && (set.has('RW') || set.has(permission));
  };
  return { has, readable: [...byQueue.keys()].filter((q) => has(q, 'RO')) };
}

export function requirePermission(access: QueueAccess, queueId: string, permission: Permission, what: string) {
  if (!access.has(queueId, permission)) {
    throw new ForbiddenError(`You need the ${permission.toLowerCase()} permission on this queue to ${what}`);
  }
}

/** The tickets a viewer may see, as a Prisma filter (row-level security already limits the tenant). */
export function ticketVisibility(viewer: TenantViewer, access: QueueAccess | null): Prisma.TicketWhereInput {
  if (viewer.kind === 'customer') {
    return viewer.seesCompanyTickets && viewer.companyId
      ? { OR: [{ customerUserId: viewer.customerUserId }, { customerCompanyId: viewer.companyId }] }
      : { customerUserId: viewer.customerUserId };
  }
  if (!access || access.readable === 'all') return {};
  return { queueId: { in: access.readable } };
}
