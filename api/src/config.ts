import { z } from 'zod';
import { withCredentials, APP_ROLE, SYSTEM_ROLE } from '@parley/db/migrate.ts';

/**
 * The API's configuration, validated at boot. A bad value fails fast with a message naming the
 * variable. Secrets are listed in `secretKeys` and never logged.
 */
const schema = z.object({
  DATABASE_URL: z.url({ message: 'must be a postgres:// URL (the migrating/admin connection)' }).optional(),
  DATABASE_APP_URL: z.url().optional(),
  DATABASE_SYSTEM_URL: z.url().optional(),
  DB_APP_PASSWORD: z.string().default('parley_app'),
  DB_SYSTEM_PASSWORD: z.string().default('parley_system'),
  REDIS_URL: z.url().default('redis://127.0.0.1:63799'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PROVIDER_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 14),
  LOGIN_ATTEMPTS_PER_15_MIN: z.coerce.number().int().positive().default(10),
  LOGIN_ATTEMPTS_PER_IP_15_MIN: z.coerce.number().int().positive().default(100),
  /** Peers allowed to set X-Forwarded-For (the web app's server runs on the same host by default) */
  TRUSTED_PROXIES: z.string().default('127.0.0.1,::1,::ffff:127.0.0.1'),
  API_KEY_REQUESTS_PER_MIN: z.coerce.number().int().positive().default(600),
  MAX_QUERY_COMPLEXITY: z.coerce.number().int().positive().default(2000),
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_ORIGINS: z.string().default('http://127.0.0.1:3000,http://localhost:3000'),
  /** BullMQ key prefix shared by the API (producer) and the worker */
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('parley'),
  /** Enqueue a worker job per ticket event (SLA, webhooks); off only for tools and tests without a worker */
  EVENT_FAN_OUT: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});

export const secretKeys = ['DATABASE_URL', 'DATABASE_APP_URL', 'DATABASE_SYSTEM_URL', 'DB_APP_PASSWORD', 'DB_SYSTEM_PASSWORD', 'PROVIDER_TOKEN', 'REDIS_URL'] as const;

export type ApiConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const appUrl = c.DATABASE_APP_URL ?? (c.DATABASE_URL && withCredentials(c.DATABASE_URL, APP_ROLE, c.DB_APP_PASSWORD));
  const systemUrl = c.DATABASE_SYSTEM_URL ?? (c.DATABASE_URL && withCredentials(c.DATABASE_URL, SYSTEM_ROLE, c.DB_SYSTEM_PASSWORD));
  if (!appUrl || !systemUrl) {
    throw new ConfigError('invalid configuration:\n  DATABASE_URL: required (or both DATABASE_APP_URL and DATABASE_SYSTEM_URL)');
  }
  return {
    ...c,
    appDatabaseUrl: appUrl,
    systemDatabaseUrl: systemUrl,
    trustedProxies: new Set(c.TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean)),
    webOrigins: c.WEB_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
  };
}
