// The Parley database on a server: created if missing (or recreated, for tests), then migrated and
// seeded through the modules in prisma/src when they exist.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDatabase, recreateDatabase } from './postgres.ts';
import { repoRoot } from './services.ts';

export type DatabaseUrls = {
  /** Superuser (or owner) URL of the Parley database: migrations, test setup. */
  adminUrl: string;
  /** The application role's URL (row-level security applies); the admin URL until migrations exist. */
  appUrl: string;
  /** The system/provider role's URL; the admin URL until migrations exist. */
  systemUrl: string;
  migrated: boolean;
};

const MIGRATE_MODULE = path.join(repoRoot, 'prisma', 'src', 'migrate.ts');
const SEED_MODULE = path.join(repoRoot, 'prisma', 'src', 'seed-demo.ts');

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
  if (!existsSync(MIGRATE_MODULE)) {
    console.log(`[db] ${path.relative(repoRoot, MIGRATE_MODULE)} does not exist yet: no migrations applied`);
    return { adminUrl, appUrl: adminUrl, systemUrl: adminUrl, migrated: false };
  }
  const { migrate } = (await import(pathToFileURL(MIGRATE_MODULE).href)) as {
    migrate(adminUrl: string, options?: { log?: (line: string) => void }): Promise<{ appUrl: string; systemUrl: string }>;
  };
  const started = Date.now();
  const { appUrl, systemUrl } = await migrate(adminUrl, { log: (line) => console.log(`[db] ${line}`) });
  console.log(`[db] database ${new URL(adminUrl).pathname.slice(1)} migrated (${Date.now() - started} ms)`);
  return { adminUrl, appUrl, systemUrl, migrated: true };
}

export type SeedInput = DatabaseUrls & { redisUrl: string; providerToken: string };

/** Seeds the demo tenant and logins (seed-demo.ts must be idempotent: `up` runs it every time). */
export async function seedDemoData(input: SeedInput): Promise<boolean> {
  if (!existsSync(SEED_MODULE)) {
    console.log(`[db] ${path.relative(repoRoot, SEED_MODULE)} does not exist yet: no demo data seeded`);
    return false;
  }
  const { seedDemo } = (await import(pathToFileURL(SEED_MODULE).href)) as { seedDemo(input: SeedInput): Promise<unknown> };
  const started = Date.now();
  await seedDemo(input);
  console.log(`[db] demo data seeded (${Date.now() - started} ms)`);
  return true;
}
