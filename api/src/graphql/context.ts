import { tenantScopedDb, type Db } from '@parley/db';
import type { RequestMeta } from '../auth/login.ts';
import { isTenantViewer, type Viewer } from '../auth/viewer.ts';
import type { Services } from '../services.ts';
import type { QueueAccess } from '../tickets/queue-access.ts';

/** Per-request GraphQL context. The database client is not in it: see `tenantClient`. */
export interface GraphQLContext {
  viewer: Viewer;
  services: Services;
  meta: RequestMeta;
  /** An agent's queue permissions, loaded once per request (null for everyone else). */
  access: QueueAccess | null;
}

/**
 * The client GraphQL fields read through: scoped to the viewer's tenant by row-level security.
 * Anonymous and provider requests get the unscoped app client, which RLS lets see nothing.
 */
export function tenantClient(ctx: GraphQLContext): Db {
  const { db } = ctx.services;
  return isTenantViewer(ctx.viewer) ? tenantScopedDb(db, ctx.viewer.tenantId) : db;
}
