import pg from 'pg';
import { rawPool, type Db } from './client.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Bumps a per-tenant counter and returns the new value, atomically and in ONE round trip: the
 * tenant setting and the upsert go to PostgreSQL as one simple-protocol message, which runs as
 * one implicit transaction. The counter row is therefore locked only while the server executes
 * it — never across a network round trip or a busy event loop — so concurrent ticket creation
 * does not queue up behind it. Row-level security applies as for any other statement.
 */
export async function bumpCounter(db: Db, tenantId: string, scope: string): Promise<bigint> {
  if (!UUID.test(tenantId)) throw new Error('bumpCounter: tenantId must be a UUID');
  const tenant = pg.escapeLiteral(tenantId);
  const sql = `SELECT set_config('app.tenant_id', ${tenant}, true);
    INSERT INTO "TicketCounter" ("tenantId", "scope", "value") VALUES (${tenant}::uuid, ${pg.escapeLiteral(scope)}, 1)
    ON CONFLICT ("tenantId", "scope") DO UPDATE SET "value" = "TicketCounter"."value" + 1
    RETURNING "value"`;
  const results = (await rawPool(db).query(sql)) as unknown as pg.QueryResult<{ value: string }>[];
  return BigInt(results[1].rows[0].value);
}
