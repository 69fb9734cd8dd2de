import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client.ts';

export type Db = PrismaClient;

const urls = new WeakMap<Db, string>();
const rawPools = new WeakMap<Db, pg.Pool>();

/**
 * A Prisma client on a pg pool. The API runs two: one as parley_app (subject to row-level
 * security) and one as parley_system (provider and cross-tenant system work).
 */
export function createPrismaClient(connectionString: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 });
  const client = new PrismaClient({ adapter });
  urls.set(client, connectionString);
  return client;
}

/**
 * A small plain pg pool on the same role as `db`, for the few hot statements that must finish in
 * one round trip (see counters.ts). Created on first use; close it with `closeDb`.
 */
export function rawPool(db: Db): pg.Pool {
  let pool = rawPools.get(db);
  if (!pool) {
    const url = urls.get(db);
    if (!url) throw new Error('rawPool: this client was not made by createPrismaClient');
    pool = new pg.Pool({ connectionString: url, max: 4 });
    rawPools.set(db, pool);
  }
  return pool;
}

export async function closeDb(db: Db): Promise<void> {
  const pool = rawPools.get(db);
  rawPools.delete(db);
  await Promise.allSettled([db.$disconnect(), pool?.end()]);
}
