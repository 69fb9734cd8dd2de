import { createHash, randomBytes } from 'node:crypto';
import type { Services } from '../services.ts';
import { SpamCheckFailedError } from './portal-errors.ts';
import { hmac, portalSecret, signatureMatches } from './portal-secret.ts';

/** How long a challenge may be solved and submitted. */
export const CHALLENGE_TTL_MS = 10 * 60_000;

export interface Challenge { challenge: string; difficulty: number; expiresAt: Date }

/**
 * A hashcash challenge for the guest form, bound to the tenant: `pow1.<tenantId>.<expiresMs>.
 * <difficulty>.<nonce>.<hmac>`. The browser looks for a counter such that
 * SHA-256("<challenge>:<counter>") starts with `difficulty` zero bits (verifyProof). Nothing is
 * stored until it is spent: the HMAC makes it unforgeable and the expiry bounds replay storage.
 */
export async function issueChallenge(s: Pick<Services, 'config' | 'redis'>, tenantId: string, now = Date.now()): Promise<Challenge> {
  const difficulty = s.config.PORTAL_POW_DIFFICULTY;
  const expires = now + CHALLENGE_TTL_MS;
  const payload = `pow1.${tenantId}.${expires}.${difficulty}.${randomBytes(16).toString('base64url')}`;
  return { challenge: `${payload}.${hmac(await portalSecret(s), payload)}`, difficulty, expiresAt: new Date(expires) };
}

/** Number of leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) { bits += 8; continue; }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function proofHash(challenge: string, solution: string): Buffer {
  return createHash('sha256').update(`${challenge}:${solution}`).digest();
}

/**
 * Checks a solved challenge and spends it: signature, tenant, expiry, difficulty (at least the
 * current setting), the hash, then `SET NX` in Redis so each challenge is accepted once, by any
 * API instance. Throws SpamCheckFailedError with the reason.
 */
export async function verifyProof(s: Pick<Services, 'config' | 'redis'>, tenantId: string, challenge: string | null | undefined, solution: string | null | undefined, now = Date.now()): Promise<void> {
  if (!challenge || !solution) throw new SpamCheckFailedError('PROOF_MISSING');
  const parts = challenge.split('.');
  if (parts.length !== 6 || parts[0] !== 'pow1' || !/^\d{1,12}$/.test(solution)) throw new SpamCheckFailedError('PROOF_INVALID');
  const [, forTenant, expiresRaw, difficultyRaw, nonce, signature] = parts;
  const payload = parts.slice(0, 5).join('.');
  if (!signatureMatches(await portalSecret(s), payload, signature)) throw new SpamCheckFailedError('PROOF_INVALID');
  if (forTenant !== tenantId) throw new SpamCheckFailedError('PROOF_INVALID');
  const expires = Number(expiresRaw);
  if (!(expires > now)) throw new SpamCheckFailedError('PROOF_EXPIRED');
  const difficulty = Number(difficultyRaw);
  if (difficulty < s.config.PORTAL_POW_DIFFICULTY) throw new SpamCheckFailedError('PROOF_INVALID');
  if (leadingZeroBits(proofHash(challenge, solution)) < difficulty) throw new SpamCheckFailedError('PROOF_INVALID');
  const spent = await s.redis.set(`${s.config.QUEUE_PREFIX}:portal:pow-spent:${nonce}`, '1', 'PX', Math.max(1000, expires - now + 1000), 'NX');
  if (spent !== 'OK') throw new SpamCheckFailedError('PROOF_REUSED');
}

/** Solves a challenge (tests, tools); the browser does the same with WebCrypto (web/src/lib/proof-of-work.ts). */
export function solveChallenge(challenge: string, difficulty: number): string {
  for (let counter = 0; ; counter++) {
    if (leadingZeroBits(proofHash(challenge, String(counter))) >= difficulty) return String(counter);
  }
}
