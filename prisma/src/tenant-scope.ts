import type { Db } from './client.ts';
import type { Prisma } from '../generated/client.ts';

/**
 * Tenant scoping: every statement runs in a transaction that first sets app.tenant_id
 * (transaction-local), which the row-level-security policies of every tenant table compare
 * against. Forgetting a `where: { tenantId }` therefore returns nothing of another tenant.
 */

export type TenantTx = Prisma.TransactionClient;

function setTenantSql(db: Db | TenantTx, tenantId: string) {
  return db.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
}

/** Runs `fn` in one interactive transaction scoped to the tenant (for use cases that write). */
export async function withTenant<T>(
  db: Db,
  tenantId: string,
  fn: (tx: TenantTx) => Promise<T>,
  options: { isolationLevel?: Prisma.TransactionIsolationLevel; timeout?: number } = {},
): Promise<T> {
  return db.$transaction(async (tx) => {
    await setTenantSql(tx, tenantId);
    return fn(tx);
  }, { timeout: options.timeout ?? 15_000, maxWait: 10_000, isolationLevel: options.isolationLevel });
}

/**
 * A client whose every single operation runs tenant-scoped (a batch transaction of set_config
 * and the operation): what GraphQL field resolvers and plugin-prisma read through.
 */
export function forTenant(db: Db, tenantId: string) {
  return db.$extends({
    query: {
      // Model operations and raw queries alike.
      async $allOperations({ args, query }) {
        const [, result] = await db.$transaction([setTenantSql(db, tenantId), query(args)]);
        return result;
      },
    },
  });
}

export type TenantDb = ReturnType<typeof forTenant>;

const scopedClients = new WeakMap<Db, Map<string, TenantDb>>();

/**
 * `forTenant`, made once per client and tenant and kept (extending a client is not free): the
 * scoped client to read through, typed as a plain client for code that takes one.
 */
export function tenantScopedDb(db: Db, tenantId: string): Db {
  let perDb = scopedClients.get(db);
  if (!perDb) scopedClients.set(db, (perDb = new Map()));
  let client = perDb.get(tenantId);
  if (!client) {
    if (perDb.size > 5000) perDb.clear();
    client = forTenant(db, tenantId);
    perDb.set(tenantId, client);
  }
  return client as unknown as Db;
}
