import { randomBytes } from 'node:crypto';
import type { AccountTokenPurpose, TenantTx } from '@parley/db';
import { sha256 } from '../auth/secrets.ts';
import type { Services } from '../services.ts';
import { InvalidTokenError } from './portal-errors.ts';
import { hmac, portalSecret, signatureMatches } from './portal-secret.ts';

export const VERIFY_EMAIL_TTL_MS = 48 * 3600_000;
export const RESET_PASSWORD_TTL_MS = 3600_000;

export type TokenAccount = { userId: string; customerUserId?: never } | { customerUserId: string; userId?: never };

/**
 * A link secret: 256 random bits plus an HMAC over purpose and secret (links that were not
 * issued by us are refused before the database is asked). Only the SHA-256 of the whole token
 * is stored; the token itself exists only in the mail.
 */
export async function newAccountToken(s: Pick<Services, 'config' | 'redis'>, purpose: AccountTokenPurpose): Promise<string> {
  const random = randomBytes(32).toString('base64url');
  const signature = hmac(await portalSecret(s), `${purpose}:${random}`).slice(0, 22);
  return `${random}.${signature}`;
}

/** Stores the token (hashed) for the account; earlier unused tokens of the same purpose stop working. */
export async function storeAccountToken(tx: TenantTx, tenantId: string, purpose: AccountTokenPurpose, account: TokenAccount, token: string, ttlMs: number, now = new Date()) {
  const owner = account.userId ? { userId: account.userId } : { customerUserId: account.customerUserId };
  await tx.accountToken.updateMany({ where: { ...owner, purpose, usedAt: null }, data: { usedAt: now } });
  await tx.accountToken.create({
    data: { tenantId, purpose, tokenHash: sha256(token), ...owner, expiresAt: new Date(now.getTime() + ttlMs) },
  });
}

export interface FoundToken { id: string; tenantId: string; userId: string | null; customerUserId: string | null }

/**
 * Resolves a link token (system role: the tenant is not known yet). Throws InvalidTokenError for
 * a forged, unknown, expired or used token. Spend it with `spendAccountToken` in the transaction
 * that acts on it.
 */
export async function findAccountToken(s: Pick<Services, 'config' | 'redis' | 'systemDb'>, purpose: AccountTokenPurpose, token: string): Promise<FoundToken> {
  const [random, signature] = token.trim().split('.');
  if (!random || !signature || !signatureMatches(await portalSecret(s), `${purpose}:${random}`, signature, 22)) throw new InvalidTokenError('INVALID');
  const row = await s.systemDb.accountToken.findUnique({ where: { tokenHash: sha256(token.trim()) } });
  if (!row || row.purpose !== purpose) throw new InvalidTokenError('INVALID');
  if (row.usedAt) throw new InvalidTokenError('USED');
  if (row.expiresAt <= new Date()) throw new InvalidTokenError('EXPIRED');
  return { id: row.id, tenantId: row.tenantId, userId: row.userId, customerUserId: row.customerUserId };
}

/** Marks the token used, once: a second concurrent use finds it spent and fails. */
export async function spendAccountToken(tx: TenantTx, tokenId: string, now = new Date()) {
  const { count } = await tx.accountToken.updateMany({ where: { id: tokenId, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (count !== 1) throw new InvalidTokenError('USED');
}
