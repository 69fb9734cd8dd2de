// The platform's backing services: PostgreSQL and Redis, private to one data directory.
//
// Two profiles, on different ports and directories so tests never touch the demo's data:
//   demo  `.data/`       Postgres 127.0.0.1:54329, Redis 127.0.0.1:63799 (AOF on: queues survive)
//   test  `.data/test/`  Postgres 127.0.0.1:54339, Redis 127.0.0.1:63809 (no persistence, fsync off)
//
// Environment (all optional):
//   PARLEY_DATA_DIR                         demo data directory (default: <repo>/.data)
//   PARLEY_TEST_DATA_DIR                    test data directory (default: <demo data dir>/test)
//   PARLEY_PG_PORT, PARLEY_REDIS_PORT       demo ports
//   PARLEY_TEST_PG_PORT, PARLEY_TEST_REDIS_PORT  test ports
//   DATABASE_URL, REDIS_URL                 demo/production: use these servers, start nothing.
//                                           DATABASE_URL must be a superuser (or owner) URL: the
//                                           migrations run with it and create the app's roles.
//   PARLEY_TEST_DATABASE_URL, PARLEY_TEST_REDIS_URL   the same for the test profile (the test
//                                           database `parley_test` on it is dropped each run!)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePostgres, postgresStatus, stopPostgres } from './postgres.ts';
import { ensureRedis, redisStatus, stopRedis } from './redis.ts';

export { ensurePostgres, ensureDatabase, recreateDatabase, databaseUrl } from './postgres.ts';
export type { PostgresOptions, PostgresService } from './postgres.ts';
export { ensureRedis, flushRedis } from './redis.ts';
export type { RedisOptions, RedisService } from './redis.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type Profile = {
  name: 'demo' | 'test';
  dataDir: string;
  pgPort: number;
  redisPort: number;
  /** Redis append-only file and a crash-safe Postgres. */
  persistent: boolean;
  externalDatabaseUrl?: string;
  externalRedisUrl?: string;
};

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new Error(`${name}=${raw} is not a valid port`);
  return value;
}

export function demoProfile(env = process.env): Profile {
  return {
    name: 'demo',
    dataDir: path.resolve(env.PARLEY_DATA_DIR || path.join(repoRoot, '.data')),
    pgPort: port('PARLEY_PG_PORT', 54329),
    redisPort: port('PARLEY_REDIS_PORT', 63799),
    persistent: true,
    externalDatabaseUrl: env.DATABASE_URL || undefined,
    externalRedisUrl: env.REDIS_URL || undefined,
  };
}

export function testProfile(env = process.env): Profile {
  return {
    name: 'test',
    dataDir: path.resolve(env.PARLEY_TEST_DATA_DIR || path.join(demoProfile(env).dataDir, 'test')),
    pgPort: port('PARLEY_TEST_PG_PORT', 54339),
    redisPort: port('PARLEY_TEST_REDIS_PORT', 63809),
    persistent: false,
    externalDatabaseUrl: env.PARLEY_TEST_DATABASE_URL || undefined,
    externalRedisUrl: env.PARLEY_TEST_REDIS_URL || undefined,
  };
}

export type RunningServices = { adminUrl: string; redisUrl: string };

/** Starts (or reuses) both services of a profile. */
export async function ensureServices(profile: Profile): Promise<RunningServices> {
  const [pg, redis] = await Promise.all([
    ensurePostgres({ dataDir: profile.dataDir, port: profile.pgPort, durable: profile.persistent, externalUrl: profile.externalDatabaseUrl }),
    ensureRedis({ dataDir: profile.dataDir, port: profile.redisPort, persistent: profile.persistent, externalUrl: profile.externalRedisUrl }),
  ]);
  return { adminUrl: pg.adminUrl, redisUrl: redis.url };
}

/** Stops the private Postgres and Redis of `dataDir` (external servers are never touched). */
export async function stopServices(dataDir: string): Promise<{ postgres: boolean; redis: boolean }> {
  const [postgres, redis] = await Promise.all([stopPostgres(dataDir), stopRedis(dataDir)]);
  return { postgres, redis };
}

export async function servicesStatus(dataDir: string) {
  const [postgres, redis] = await Promise.all([postgresStatus(dataDir), redisStatus(dataDir)]);
  return { postgres, redis };
}
