import { Redis } from 'ioredis';
import { closeDb, createPrismaClient, type Db } from '@parley/db';
import type { ApiConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createRateLimits, type RateLimits } from './auth/rate-limit.ts';
import { localDiskBlobStore, type BlobStore } from './storage/blob-store.ts';
import { createEventBus, type EventBus } from './events/event-bus.ts';
import { createSecretBox, type SecretBox } from './secrets/secret-box.ts';

/**
 * Long-lived dependencies of the API process (and of the worker, which reuses the use cases).
 * `db` connects as parley_app and is subject to row-level security; `systemDb` connects as
 * parley_system and is used only for work that has no tenant yet (resolving a session token or
 * an API key, the provider console).
 */
export interface Services {
  config: ApiConfig;
  log: Logger;
  db: Db;
  systemDb: Db;
  redis: Redis;
  rateLimits: RateLimits;
  /** Raw mails and attachment bytes (ATTACHMENT_DIR) */
  blobs: BlobStore;
  /** Encrypts/decrypts tenant secrets at rest with SECRETS_KEY (api/src/secrets/secret-box.ts) */
  secrets: SecretBox;
  /** The ticket event stream (api/src/events/README.md) */
  events: EventBus & { onError(err: unknown): void };
  close(): Promise<void>;
}

export function createServices(config: ApiConfig, name = 'api'): Services {
  const log = createLogger(config.LOG_LEVEL, name);
  const db = createPrismaClient(config.appDatabaseUrl, { max: config.DB_POOL_SIZE });
  const systemDb = createPrismaClient(config.systemDatabaseUrl, { max: Math.max(2, Math.ceil(config.DB_POOL_SIZE / 4)) });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: false });
  redis.on('error', (err) => log.error({ err: err.message }, 'redis error'));
  const rateLimits = createRateLimits(redis, {
    loginAttemptsPer15Min: config.LOGIN_ATTEMPTS_PER_15_MIN,
    loginAttemptsPerIp15Min: config.LOGIN_ATTEMPTS_PER_IP_15_MIN,
    apiKeyRequestsPerMin: config.API_KEY_REQUESTS_PER_MIN,
    attachmentUploadsPerMin: config.ATTACHMENT_UPLOADS_PER_MIN,
  });
  const bus = createEventBus({ redisUrl: config.REDIS_URL, queuePrefix: config.QUEUE_PREFIX, log, fanOut: config.EVENT_FAN_OUT });
  const events = { ...bus, onError: (err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'publishing a ticket event failed') };
  return {
    config, log, db, systemDb, redis, rateLimits, events, blobs: localDiskBlobStore(config.ATTACHMENT_DIR),
    secrets: createSecretBox(config.secretsKeys.current, config.secretsKeys.previous),
    async close() {
      await Promise.allSettled([closeDb(db), closeDb(systemDb), bus.close()]);
      redis.disconnect();
    },
  };
}
