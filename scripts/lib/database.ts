// The Parley database on a server: created if missing (or recreated, for tests), migrated, and
// (for the demo) seeded through the same use cases as real traffic.
import { migrate } from '@parley/db/migrate.ts';
import { closeDb, createPrismaClient } from '@parley/db';
import { seedDemo } from '@parley/api/seed/seed-demo.ts';
import { ensureDatabase, recreateDatabase } from './postgres.ts';

export type DatabaseUrls = {
  /** Superuser (or owner) URL of the Parley database: migrations, test setup. */
  adminUrl: string;
  /** The application role's URL (row-level security applies). */
  appUrl: string;
  /** The system/provider role's URL. */
  systemUrl: string;
  migrated: boolean;
};

/**
 * Makes sure database `name` exists on the server behind `serverAdminUrl` and is migrated.
 * `external`: the URL already names the database to use (DATABASE_URL), nothing is created.
 * `fresh`: drop and recreate it first (the test database).
 */
export async function prepareDatabase(serverAdminUrl: string, options: { name: string; external: boolean; fresh: boolean }): Promise<DatabaseUrls> {
  const adminUrl = options.external
    ? serverAdminUrl
    : options.fresh
      ? await recreateDatabase(serverAdminUrl, options.name)
      : await ensureDatabase(serverAdminUrl, options.name);
  const started = Date.now();
  const { appUrl, systemUrl } = await migrate(adminUrl, { log: (line) => console.log(`[db] ${line}`) });
  console.log(`[db] database ${new URL(adminUrl).pathname.slice(1)} migrated (${Date.now() - started} ms)`);
  return { adminUrl, appUrl, systemUrl, migrated: true };
}

export type SeedInput = DatabaseUrls & { redisUrl: string; providerToken: string };

/** Seeds the demo tenant and logins; a no-op when the demo tenant exists (`up` runs it every time). */
export async function seedDemoData(input: SeedInput): Promise<boolean> {
  const db = createPrismaClient(input.appUrl, { max: 4 });
  const systemDb = createPrismaClient(input.systemUrl, { max: 2 });
  const started = Date.now();
  try {
    const { created } = await seedDemo({ db, systemDb });
    console.log(created ? `[db] demo tenant "acme" seeded (${Date.now() - started} ms)` : '[db] demo tenant "acme" exists; left as it is');
    return created;
  } finally {
    await Promise.allSettled([closeDb(db), closeDb(systemDb)]);
  }
}
