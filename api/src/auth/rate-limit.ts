import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors/app-error.ts';

/**
 * Rate limits backed by Redis, so they hold across API instances: logins per account and per
 * IP (brute force), and requests per API key (Zendesk-style 429 + Retry-After).
 */
export function createRateLimits(redis: Redis, opts: { loginAttemptsPer15Min: number; loginAttemptsPerIp15Min: number; apiKeyRequestsPerMin: number }) {
  const loginByAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:login:acct', points: opts.loginAttemptsPer15Min, duration: 15 * 60 });
  const loginByIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:login:ip', points: opts.loginAttemptsPerIp15Min, duration: 15 * 60 });
  const apiKey = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:apikey', points: opts.apiKeyRequestsPerMin, duration: 60 });

  async function consume(limiter: RateLimiterRedis, key: string) {
    try {
      await limiter.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      throw e;
    }
  }

  return {
    /** Counts one login attempt; throws RateLimitedError when over the limit. */
    async loginAttempt(account: string, ip: string | null) {
      await consume(loginByAccount, account.toLowerCase());
      if (ip) await consume(loginByIp, ip);
    },
    async loginSucceeded(account: string) {
      await loginByAccount.delete(account.toLowerCase());
    },
    async apiKeyRequest(apiKeyId: string) {
      await consume(apiKey, apiKeyId);
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
