import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeLimit } from '../auth/rate-limit.ts';

/**
 * Announcements per agent and minute, across API instances. A tab sends 4 heartbeats a minute
 * plus a few VIEWING/REPLYING switches; 120 leaves room for ~20 open tickets and stops a script
 * from flooding Redis and every subscriber with signals.
 */
export const PRESENCE_ANNOUNCEMENTS_PER_MIN = 120;

const limiters = new WeakMap<Redis, Map<number, RateLimiterRedis>>();

/** Counts one announcement of `userId` (per tenant); throws RateLimitedError over the limit. */
export function presenceRateLimit(redis: Redis, points = PRESENCE_ANNOUNCEMENTS_PER_MIN) {
  let byPoints = limiters.get(redis);
  if (!byPoints) limiters.set(redis, (byPoints = new Map()));
  let limiter = byPoints.get(points);
  if (!limiter) byPoints.set(points, (limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: `rl:presence:${points}`, points, duration: 60 })));
  const l = limiter;
  return (tenantId: string, userId: string) => consumeLimit(l, `${tenantId}:${userId}`);
}
