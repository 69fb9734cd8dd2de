import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client.ts';

export type Db = PrismaClient;

/**
 * A Prisma client on a pg pool. The API runs two: one as parley_app (subject to row-level
 * security) and one as parley_system (provider and cross-tenant system work).
 */
export function createPrismaClient(connectionString: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}
