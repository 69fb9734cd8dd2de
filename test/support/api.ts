import { inject } from 'vitest';
import { loadConfig } from '@parley/api/config.ts';
import { createServices, type Services } from '@parley/api/services.ts';
import { createApi } from '@parley/api/app.ts';
import { TEST_SECRETS_KEY } from './secrets-key.ts';

export { TEST_SECRETS_KEY };

export const PROVIDER_TOKEN = 'test-provider-token-0123456789';

export interface GqlResponse<T = any> { status: number; data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; headers: Headers }

export interface TestApi {
  url: string;
  /** The same endpoint for graphql-ws subscriptions */
  wsUrl: string;
  services: Services;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

/** Test configuration: the test database and Redis from global setup, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}) {
  const db = inject('db');
  return loadConfig({
    DATABASE_APP_URL: db.appUrl,
    DATABASE_SYSTEM_URL: db.systemUrl,
    REDIS_URL: inject('redisUrl'),
    PROVIDER_TOKEN,
    SECRETS_KEY: TEST_SECRETS_KEY,
    LOG_LEVEL: process.env.PARLEY_TEST_LOG_LEVEL ?? 'silent',
    LOGIN_ATTEMPTS_PER_15_MIN: '1000',
    LOGIN_ATTEMPTS_PER_IP_15_MIN: '100000',
    DB_POOL_SIZE: '20',
    // No worker runs in most tests: publish events live only (worker tests turn fan-out on with their own prefix).
    EVENT_FAN_OUT: 'false',
    ...overrides,
  });
}

/** A real API server on a free port, in this process, against the real test database. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const services = createServices(testConfig(overrides));
  const api = createApi(services);
  const port = await api.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    services,
    async gql(query, variables, token) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json() as { data?: any; errors?: any };
      return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
    },
    async close() {
      await api.close();
      await services.close();
    },
  };
}
