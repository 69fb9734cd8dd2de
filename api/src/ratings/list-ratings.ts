import { withTenant, type Prisma } from '@parley/db';
import type { TenantViewer } from '../auth/viewer.ts';
import type { Db } from '@parley/db';

export interface RatingFilter {
  agentId?: string | null;
  ticketId?: string | null;
  target?: 'REPLY' | 'TICKET' | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
}

/**
 * Ratings the viewer may read: admins and partner API keys all of the tenant's, an agent their
 * own (ratings of their replies and of tickets they own), a customer those they gave.
 */
export async function listRatings(db: Db, viewer: TenantViewer, filter: RatingFilter) {
  const scope: Prisma.RatingWhereInput = viewer.kind === 'customer'
    ? { customerUserId: viewer.customerUserId }
    : viewer.isAdmin || viewer.apiKey ? {} : { agentUserId: viewer.userId };
  const where: Prisma.RatingWhereInput = {
    ...scope,
    ...(filter.agentId ? { agentUserId: filter.agentId } : {}),
    ...(filter.ticketId ? { ticketId: filter.ticketId } : {}),
    ...(filter.target ? { target: filter.target } : {}),
    ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
  return withTenant(db, viewer.tenantId, (tx) => tx.rating.findMany({
    where: { AND: [scope, where] }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: Math.min(Math.max(filter.first ?? 50, 1), 500),
  }));
}
