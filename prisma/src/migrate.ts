// Applies prisma/migrations/*/migration.sql in order and records them in _prisma_migrations the
// way `prisma migrate deploy` does (same table, same checksums), so a machine with Prisma's
// native engine can use the normal CLI on the same folder. Then makes sure the two runtime
// roles exist with the right grants. Idempotent and safe to run concurrently (advisory lock).
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

const migrationsDir = path.resolve(import.meta.dirname, '..', 'migrations');
const LOCK_KEY = 7_240_513; // arbitrary, fixed: serialises concurrent migrators

export const APP_ROLE = 'parley_app';
export const SYSTEM_ROLE = 'parley_system';

export interface MigrateOptions {
  appPassword?: string;
  systemPassword?: string;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  appUrl: string;
  systemUrl: string;
}

export async function migrate(adminUrl: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const appPassword = options.appPassword ?? process.env.DB_APP_PASSWORD ?? 'parley_app';
  const systemPassword = options.systemPassword ?? process.env.DB_SYSTEM_PASSWORD ?? 'parley_system';
  await ensureDatabase(adminUrl);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await ensureRoles(client, appPassword, systemPassword);
    const applied = await applyPending(client, log);
    await grant(client);
    return {
      applied,
      appUrl: withCredentials(adminUrl, APP_ROLE, appPassword),
      systemUrl: withCredentials(adminUrl, SYSTEM_ROLE, systemPassword),
    };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

async function ensureDatabase(adminUrl: string) {
  const target = new URL(adminUrl);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  if (!dbName || dbName === 'postgres') return;
  const maintenance = new URL(adminUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`).catch((e) => {
      if (e.code !== '42P04') throw e; // created concurrently
    });
  } finally {
    await client.end();
  }
}

async function ensureRoles(client: pg.Client, appPassword: string, systemPassword: string) {
  for (const [role, password, bypass] of [[APP_ROLE, appPassword, false], [SYSTEM_ROLE, systemPassword, true]] as const) {
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const attrs = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ${bypass ? 'BYPASSRLS' : 'NOBYPASSRLS'} PASSWORD ${pg.escapeLiteral(password)}`;
    try {
      await client.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${pg.escapeIdentifier(role)} ${attrs}`);
    } catch (e) {
      if ((e as { code?: string }).code === '23505' || (e as { code?: string }).code === '42710') continue; // created concurrently
      throw new Error(`cannot create or alter role ${role}: ${(e as Error).message}. ` +
        'Run migrations as a PostgreSQL superuser, or create the roles yourself (see README, "Production").');
    }
  }
}

async function applyPending(client: pg.Client, log: (line: string) => void): Promise<string[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
  const done = await client.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
  const appliedChecksums = new Map(done.rows.map((r) => [r.migration_name, r.checksum]));
  const names = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const applied: string[] = [];
  for (const name of names) {
    const sql = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const previous = appliedChecksums.get(name);
    if (previous) {
      if (previous !== checksum) log(`warning: migration ${name} was edited after it was applied`);
      continue;
    }
    const id = randomUUID();
    await client.query('BEGIN');
    try {
      await client.query(sql);
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)`,
        [id, checksum, name]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw new Error(`migration ${name} failed: ${(e as Error).message}`);
    }
    log(`applied ${name}`);
    applied.push(name);
  }
  return applied;
}

async function grant(client: pg.Client) {
  for (const role of [APP_ROLE, SYSTEM_ROLE]) {
    const r = pg.escapeIdentifier(role);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
    await client.query(`REVOKE ALL ON "_prisma_migrations" FROM ${r}`);
  }
  // Platform-level tables carry no row-level security (they are not any one tenant's): the app
  // role, which serves tenants, must not read them at all; only the system role does.
  const app = pg.escapeIdentifier(APP_ROLE);
  for (const table of PLATFORM_TABLES) {
    const { rows } = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [`public."${table}"`]);
    if (rows[0].present) await client.query(`REVOKE ALL ON ${pg.escapeIdentifier(table)} FROM ${app}`);
  }
}

/** Tables without row-level security that only the system role may touch. */
export const PLATFORM_TABLES = ['TenantSubscription', 'StripeEvent', 'TenantStatusChange'];
