import type { Services } from '../services.ts';
import { TenantSuspendedError, UnauthenticatedError } from '../errors/app-error.ts';
import { constantTimeEqual, sha256 } from './secrets.ts';
import type { ApiKeyScope, Viewer } from './viewer.ts';

export const SESSION_COOKIE = 'parley_session';

/** The bearer token of a request: `Authorization: Bearer …` or the web app's session cookie. */
export function bearerToken(headers: Headers): string | null {
  const auth = headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim() || null;
  const cookie = headers.get('cookie');
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join('=')) || null;
  }
  return null;
}

/**
 * Resolves a token to a viewer. A token that is present but invalid or expired is an error
 * (the client should sign in again), not a silent downgrade to anonymous.
 */
export async function authenticate(s: Services, token: string | null): Promise<Viewer> {
  if (!token) return { kind: 'anonymous' };
  if (s.config.PROVIDER_TOKEN && constantTimeEqual(token, s.config.PROVIDER_TOKEN)) return { kind: 'provider' };
  if (token.startsWith('pk_')) return authenticateApiKey(s, token);
  return authenticateSession(s, token);
}

interface SessionRow {
  id: string; tenantId: string; expiresAt: Date; lastSeenAt: Date; suspended: boolean;
  userId: string | null; userKind: 'AGENT' | 'ADMIN' | null; userActive: boolean | null;
  customerUserId: string | null; companyId: string | null; seesCompanyTickets: boolean | null; customerActive: boolean | null;
}

/** One indexed query per request: the session with its tenant and account (system role, no tenant known yet). */
async function authenticateSession(s: Services, token: string): Promise<Viewer> {
  const rows = await s.systemDb.$queryRaw<SessionRow[]>`
    SELECT s."id", s."tenantId", s."expiresAt", s."lastSeenAt", t."suspended",
           u."id" AS "userId", u."kind"::text AS "userKind", u."active" AS "userActive",
           c."id" AS "customerUserId", c."companyId", c."seesCompanyTickets", c."active" AS "customerActive"
    FROM "Session" s
    JOIN "Tenant" t ON t."id" = s."tenantId"
    LEFT JOIN "User" u ON u."tenantId" = s."tenantId" AND u."id" = s."userId"
    LEFT JOIN "CustomerUser" c ON c."tenantId" = s."tenantId" AND c."id" = s."customerUserId"
    WHERE s."tokenHash" = ${sha256(token)}`;
  const session = rows[0];
  if (!session || session.expiresAt <= new Date()) throw new UnauthenticatedError('Your session has expired; sign in again');
  if (session.suspended) throw new TenantSuspendedError();
  if (Date.now() - session.lastSeenAt.getTime() > 5 * 60_000) {
    void s.systemDb.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } }).catch(() => {});
  }
  if (session.userId && session.userActive) {
    return { kind: 'agent', tenantId: session.tenantId, userId: session.userId, isAdmin: session.userKind === 'ADMIN', apiKey: null, sessionId: session.id };
  }
  if (session.customerUserId && session.customerActive) {
    return {
      kind: 'customer', tenantId: session.tenantId, customerUserId: session.customerUserId, companyId: session.companyId,
      seesCompanyTickets: session.seesCompanyTickets ?? false, sessionId: session.id,
    };
  }
  throw new UnauthenticatedError('This account is disabled');
}

async function authenticateApiKey(s: Services, token: string): Promise<Viewer> {
  const key = await s.systemDb.apiKey.findUnique({
    where: { secretHash: sha256(token) },
    include: { tenant: { select: { suspended: true } }, createdBy: { select: { id: true, kind: true, active: true } } },
  });
  if (!key || key.revokedAt || !key.createdBy.active) throw new UnauthenticatedError('Invalid or revoked API key');
  if (key.tenant.suspended) throw new TenantSuspendedError();
  await s.rateLimits.apiKeyRequest(key.id);
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
    void s.systemDb.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  const scopes = key.scopes as ApiKeyScope[];
  return {
    kind: 'agent', tenantId: key.tenantId, userId: key.createdBy.id,
    isAdmin: key.createdBy.kind === 'ADMIN' && scopes.includes('admin'),
    apiKey: { id: key.id, scopes }, sessionId: null,
  };
}
