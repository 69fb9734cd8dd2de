import { withTenant } from '@parley/db';
import type { Services } from '../services.ts';
import { InvalidCredentialsError, TenantSuspendedError } from '../errors/app-error.ts';
import { newToken, sha256, verifyAgainstDummy, verifyPassword } from './secrets.ts';
import { EmailNotVerifiedError } from '../customers/portal-errors.ts';

export interface LoginInput { tenantSlug: string; email: string; password: string }
export interface RequestMeta { ip: string | null; userAgent: string | null }

export interface LoginResult {
  token: string;
  expiresAt: Date;
  kind: 'agent' | 'customer';
  tenantId: string;
  subjectId: string;
}

/**
 * Agents and customers sign in the same way; an agent account wins if both exist. Attempts are
 * rate-limited per account and per IP before the password is checked, and the answer for an
 * unknown account takes as long as for a wrong password. A customer whose self sign-up is not
 * verified yet is refused with EmailNotVerifiedError, after the password check.
 */
export async function login(s: Services, input: LoginInput, meta: RequestMeta): Promise<LoginResult> {
  const slug = input.tenantSlug.trim().toLowerCase();
  const email = input.email.trim().toLowerCase();
  await s.rateLimits.loginAttempt(`${slug}:${email}`, meta.ip);
  const tenant = await s.systemDb.tenant.findUnique({ where: { slug }, select: { id: true, suspended: true } });
  if (!tenant) return verifyAgainstDummy(input.password).then(() => { throw new InvalidCredentialsError(); });

  const result = await withTenant(s.db, tenant.id, async (tx) => {
    const user = await tx.user.findUnique({ where: { tenantId_email: { tenantId: tenant.id, email } } });
    const customer = user ? null : await tx.customerUser.findUnique({ where: { tenantId_email: { tenantId: tenant.id, email } } });
    const account = user ?? customer;
    const hash = account?.active ? account.passwordHash : null;
    const ok = hash ? await verifyPassword(hash, input.password) : await verifyAgainstDummy(input.password);
    if (!ok || !account) throw new InvalidCredentialsError();
    if (tenant.suspended) throw new TenantSuspendedError();
    // A self-signed-up customer signs in only after confirming the address (told only to someone who knows the password).
    if (customer && await tx.customerSignUp.count({ where: { customerUserId: customer.id, verifiedAt: null } })) throw new EmailNotVerifiedError();
    const token = newToken('pst');
    const expiresAt = new Date(Date.now() + s.config.SESSION_TTL_HOURS * 3600_000);
    await tx.session.create({
      data: {
        tenantId: tenant.id, tokenHash: sha256(token), expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500),
        userId: user?.id, customerUserId: customer?.id,
      },
    });
    return { token, expiresAt, kind: user ? 'agent' as const : 'customer' as const, tenantId: tenant.id, subjectId: account.id };
  });
  await s.rateLimits.loginSucceeded(`${slug}:${email}`);
  return result;
}

export async function logout(s: Services, tenantId: string, sessionId: string): Promise<void> {
  await withTenant(s.db, tenantId, (tx) => tx.session.deleteMany({ where: { id: sessionId } }));
}
