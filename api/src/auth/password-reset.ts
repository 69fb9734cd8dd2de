import { withTenant } from '@parley/db';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { NotFoundError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { accountLink, recordAccountMail, sendAfterCommit } from '../customers/account-mail.ts';
import { accountMailText, mailLocale } from '../customers/account-mail-texts.ts';
import { findAccountToken, newAccountToken, RESET_PASSWORD_TTL_MS, spendAccountToken, storeAccountToken } from '../customers/account-tokens.ts';
import { consumePortalLimit } from '../customers/portal-rate-limits.ts';
import { portalTenant } from '../customers/portal-settings.ts';
import type { RequestMeta } from './login.ts';
import { passwordSchema } from './password-policy.ts';
import { hashPassword } from './secrets.ts';

const requestInput = z.object({ tenantSlug: z.string().trim().toLowerCase().min(1), email: z.email().trim().toLowerCase() });

/**
 * "Forgot password?" for agents and customers (an agent account wins, as in login). Always the
 * same answer: an active account gets a single-use link valid for an hour (earlier links stop
 * working), an unknown address gets nothing. Rate-limited per IP and per address. A customer
 * created by mail (no password yet) can set one this way.
 */
export async function requestPasswordReset(s: Services, raw: z.input<typeof requestInput>, meta: RequestMeta): Promise<void> {
  const input = parseInput(requestInput, raw);
  await consumePortalLimit(s, 'accountByIp', meta.ip);
  await consumePortalLimit(s, 'accountMailByAddress', `${input.tenantSlug}:${input.email}`);
  let tenant;
  try {
    tenant = await portalTenant(s, input.tenantSlug);
  } catch (e) {
    if (e instanceof NotFoundError) return;
    throw e;
  }
  const token = await newAccountToken(s, 'RESET_PASSWORD');
  const mailIds = await withTenant(s.db, tenant.id, async (tx) => {
    const where = { tenantId_email: { tenantId: tenant.id, email: input.email } };
    const user = await tx.user.findUnique({ where, select: { id: true, name: true, email: true, active: true, locale: true } });
    const customer = user ? null : await tx.customerUser.findUnique({ where, select: { id: true, name: true, email: true, active: true, locale: true } });
    const account = user ?? customer;
    if (!account?.active) return [];
    await storeAccountToken(tx, tenant.id, 'RESET_PASSWORD', user ? { userId: user.id } : { customerUserId: account.id }, token, RESET_PASSWORD_TTL_MS);
    const link = accountLink(s, tenant.slug, user ? '/password/reset' : '/portal/reset', token);
    const text = accountMailText('reset', mailLocale(account.locale, tenant.defaultLocale), { tenant: tenant.name, name: account.name, link });
    const mail = await recordAccountMail(tx, s.config.MAIL_DOMAIN, tenant, { to: { name: account.name, address: account.email }, subject: text.subject, text: text.body });
    return [mail.id];
  });
  await sendAfterCommit(s, tenant.id, mailIds);
}

/**
 * Sets a new password with a reset link: the link is spent, the password replaced and every
 * session of the account ended, in one transaction. A customer's unverified sign-up becomes
 * verified (the link proved the address).
 */
export async function resetPassword(s: Services, raw: { token: string; password: string }): Promise<{ kind: 'agent' | 'customer'; email: string }> {
  const input = parseInput(z.object({ token: z.string().min(1).max(200), password: passwordSchema }), raw);
  const found = await findAccountToken(s, 'RESET_PASSWORD', input.token);
  const passwordHash = await hashPassword(input.password);
  return withTenant(s.db, found.tenantId, async (tx) => {
    await spendAccountToken(tx, found.id);
    if (found.userId) {
      const user = await tx.user.update({ where: { id: found.userId }, data: { passwordHash }, select: { email: true } });
      await tx.session.deleteMany({ where: { userId: found.userId } });
      return { kind: 'agent' as const, email: user.email };
    }
    const customerUserId = found.customerUserId!;
    const customer = await tx.customerUser.update({ where: { id: customerUserId }, data: { passwordHash }, select: { email: true } });
    await tx.session.deleteMany({ where: { customerUserId } });
    await tx.customerSignUp.updateMany({ where: { customerUserId, verifiedAt: null }, data: { verifiedAt: new Date() } });
    return { kind: 'customer' as const, email: customer.email };
  });
}
