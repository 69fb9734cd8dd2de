import { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeLimit } from '../auth/rate-limit.ts';
import type { Services } from '../services.ts';

type Limit = 'accountByIp' | 'accountMailByAddress' | 'guestByIp' | 'guestByAddress' | 'challengeByIp';

const limiters = new WeakMap<object, Map<Limit, RateLimiterRedis>>();

function limiter(s: Pick<Services, 'config' | 'redis'>, limit: Limit): RateLimiterRedis {
  let byName = limiters.get(s.redis);
  if (!byName) limiters.set(s.redis, (byName = new Map()));
  let l = byName.get(limit);
  if (!l) {
    const c = s.config;
    const [points, duration] = {
      accountByIp: [c.PORTAL_ACCOUNT_REQUESTS_PER_IP_HOUR, 3600],
      accountMailByAddress: [c.PORTAL_ACCOUNT_MAILS_PER_ADDRESS_HOUR, 3600],
      guestByIp: [c.PORTAL_GUEST_TICKETS_PER_IP_HOUR, 3600],
      guestByAddress: [c.PORTAL_GUEST_TICKETS_PER_ADDRESS_HOUR, 3600],
      challengeByIp: [c.PORTAL_CHALLENGES_PER_IP_10_MIN, 600],
    }[limit];
    // Keys carry QUEUE_PREFIX so deployments (and test runs) sharing one Redis do not share counters.
    l = new RateLimiterRedis({ storeClient: s.redis, keyPrefix: `${c.QUEUE_PREFIX}:rl:portal:${limit}`, points, duration });
    byName.set(limit, l);
  }
  return l;
}

/**
 * Counts one request against a portal limit (Redis, shared by all API instances); throws
 * RateLimitedError when over it. Keys are what the caller sent (IP, tenant + address), whether or
 * not an account exists, so being limited says nothing about accounts.
 */
export async function consumePortalLimit(s: Pick<Services, 'config' | 'redis'>, limit: Limit, key: string | null): Promise<void> {
  if (!key) return;
  await consumeLimit(limiter(s, limit), key.toLowerCase());
}
