import { forTenant, type Db, type TenantDb } from '@parley/db';
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

const clients = new WeakMap<Db, Map<string, TenantDb>>();

/**
 * The client GraphQL fields read through: scoped to the viewer's tenant by row-level security.
 * Anonymous and provider requests get the unscoped app client, which RLS lets see nothing.
 */
export function tenantClient(ctx: GraphQLContext): Db {
  const { db } = ctx.services;
  if (!isTenantViewer(ctx.viewer)) return db;
  let perDb = clients.get(db);
  if (!perDb) clients.set(db, (perDb = new Map()));
  let client = perDb.get(ctx.viewer.tenantId);
  if (!client) {
    if (perDb.size > 5000) perDb.clear();
    client = forTenant(db, ctx.viewer.tenantId);
    perDb.set(ctx.viewer.tenantId, client);
  }
  return client as unknown as Db;
}
