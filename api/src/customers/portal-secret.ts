import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Services } from '../services.ts';

let cached: { key: string; secret: Promise<Buffer> } | null = null;

/**
 * The HMAC key of proof-of-work challenges and account links: PORTAL_SECRET, else a random key
 * created once in Redis (SET NX) so every API instance signs and verifies with the same key
 * without configuration. Rotating it (deleting the key) invalidates open challenges and links.
 */
export function portalSecret(s: Pick<Services, 'config' | 'redis'>): Promise<Buffer> {
  if (s.config.PORTAL_SECRET) return Promise.resolve(Buffer.from(s.config.PORTAL_SECRET));
  const key = `${s.config.QUEUE_PREFIX}:portal:hmac-secret`;
  if (cached?.key === key) return cached.secret;
  const secret = (async () => {
    await s.redis.set(key, randomBytes(32).toString('base64url'), 'NX');
    const value = await s.redis.get(key);
    if (!value) throw new Error('portal secret missing in Redis');
    return Buffer.from(value);
  })();
  cached = { key, secret };
  secret.catch(() => { cached = null; });
  return secret;
}

export function hmac(secret: Buffer, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

/** Constant-time check of an HMAC (optionally truncated to `length` characters). */
export function signatureMatches(secret: Buffer, value: string, signature: string, length?: number): boolean {
  const expected = Buffer.from(length ? hmac(secret, value).slice(0, length) : hmac(secret, value));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
