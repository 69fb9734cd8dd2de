import type { TestProject } from 'vitest/node';
import { migrate } from '@parley/db/migrate.ts';

/**
 * Runs once per test run: migrates the test database (its own, never the demo's; `./parley test`
 * starts PostgreSQL and Redis for it and exports PARLEY_TEST_ADMIN_URL and REDIS_URL).
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.PARLEY_TEST_ADMIN_URL;
  const redisUrl = process.env.PARLEY_TEST_REDIS_URL ?? process.env.REDIS_URL;
  if (!adminUrl || !redisUrl) {
    throw new Error('PARLEY_TEST_ADMIN_URL and REDIS_URL are not set: run the suite with `./parley test` (it starts its own PostgreSQL and Redis)');
  }
  const { appUrl, systemUrl } = await migrate(adminUrl);
  project.provide('db', { adminUrl, appUrl, systemUrl });
  project.provide('redisUrl', redisUrl);
}

declare module 'vitest' {
  export interface ProvidedContext {
    db: { adminUrl: string; appUrl: string; systemUrl: string };
    redisUrl: string;
  }
}
