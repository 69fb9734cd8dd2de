import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors/app-error.ts';

/** Counts one point for `key`; over the limit it throws RateLimitedError with the seconds to wait. */
export async function consumeLimit(limiter: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
    throw e;
  }
}

/**
 * Rate limits backed by Redis, so they hold across API instances: logins per account and per
 * IP (brute force), and requests per API key (Zendesk-style 429 + Retry-After).
 */
export function createRateLimits(redis: Redis, opts: { loginAttemptsPer15Min: number; loginAttemptsPerIp15Min: number; apiKeyRequestsPerMin: number; attachmentUploadsPerMin?: number }) {
  const loginByAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:login:acct', points: opts.loginAttemptsPer15Min, duration: 15 * 60 });
  const loginByIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:login:ip', points: opts.loginAttemptsPerIp15Min, duration: 15 * 60 });
  const apiKey = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:apikey', points: opts.apiKeyRequestsPerMin, duration: 60 });
  const uploads = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:upload', points: opts.attachmentUploadsPerMin ?? 60, duration: 60 });
  // "Test connection" connects wherever a tenant admin says: 20 per tenant per 10 minutes (no port scanning from here)
  const mailTests = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:mail-test', points: 20, duration: 600 });

  return {
    /** Counts one login attempt; throws RateLimitedError when over the limit. */
    async loginAttempt(account: string, ip: string | null) {
      await consumeLimit(loginByAccount, account.toLowerCase());
      if (ip) await consumeLimit(loginByIp, ip);
    },
    async loginSucceeded(account: string) {
      await loginByAccount.delete(account.toLowerCase());
    },
    async apiKeyRequest(apiKeyId: string) {
      await consumeLimit(apiKey, apiKeyId);
    },
    /** One POST /attachments request by an account (tenant:user). */
    async attachmentUpload(account: string) {
      await consumeLimit(uploads, account);
    },
    /** One "test connection" of a mail account by a tenant. */
    async mailConnectionTest(tenantId: string) {
      await consumeLimit(mailTests, tenantId);
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
