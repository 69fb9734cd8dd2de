import type { Redis } from 'ioredis';

export const PRESENCE_ACTIVITIES = ['VIEWING', 'REPLYING'] as const;
export type PresenceActivity = (typeof PRESENCE_ACTIVITIES)[number];

/** How long an announcement lasts without a heartbeat (clients repeat it every 15–20 s). */
export const PRESENCE_TTL_MS = 45_000;

/** One agent on one ticket, as stored (JSON in a Redis hash field per user). */
export interface PresenceEntry {
  userId: string;
  name: string;
  activity: PresenceActivity;
  /** ISO instant of the last announcement */
  at: string;
  /** epoch ms after which the entry no longer counts */
  expiresAt: number;
}

/** Tenant and ticket are both in the key: a lookup can only ever read one tenant's ticket. */
export const presenceKey = (tenantId: string, ticketId: string) => `presence:ticket:${tenantId}:${ticketId}`;

function parse(raw: string): PresenceEntry | null {
  try {
    const e = JSON.parse(raw) as PresenceEntry;
    return typeof e.userId === 'string' && typeof e.expiresAt === 'number' ? e : null;
  } catch {
    return null;
  }
}

/**
 * Short-lived presence in Redis: one hash per tenant+ticket, one field per agent. Redis 7.0 has
 * no per-field expiry, so every entry carries its own `expiresAt` (readers skip and delete the
 * stale ones) and the whole key expires PRESENCE_TTL_MS after the last write.
 */
export function presenceStore(redis: Redis, ttlMs = PRESENCE_TTL_MS) {
  return {
    /** Stores the entry; returns the previous activity (null when the agent was not present). */
    async put(tenantId: string, ticketId: string, entry: Omit<PresenceEntry, 'expiresAt'>, now = Date.now()): Promise<PresenceActivity | null> {
      const key = presenceKey(tenantId, ticketId);
      const value = JSON.stringify({ ...entry, expiresAt: now + ttlMs } satisfies PresenceEntry);
      const [[, previous]] = (await redis.multi().hget(key, entry.userId).hset(key, entry.userId, value).pexpire(key, ttlMs).exec()) as [[unknown, string | null]];
      const before = previous ? parse(previous) : null;
      return before && before.expiresAt > now ? before.activity : null;
    },
    /** Removes the agent; true when they were present. */
    async remove(tenantId: string, ticketId: string, userId: string): Promise<boolean> {
      return (await redis.hdel(presenceKey(tenantId, ticketId), userId)) > 0;
    },
    /** Live entries, oldest announcement first; stale ones are deleted on the way. */
    async list(tenantId: string, ticketId: string, now = Date.now()): Promise<PresenceEntry[]> {
      const key = presenceKey(tenantId, ticketId);
      const all = await redis.hgetall(key);
      const live: PresenceEntry[] = [];
      const stale: string[] = [];
      for (const [field, raw] of Object.entries(all)) {
        const e = parse(raw);
        if (e && e.expiresAt > now) live.push(e);
        else stale.push(field);
      }
      if (stale.length) await redis.hdel(key, ...stale);
      return live.sort((a, b) => a.at.localeCompare(b.at) || a.userId.localeCompare(b.userId));
    },
  };
}
