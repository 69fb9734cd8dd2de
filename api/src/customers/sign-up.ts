import { randomUUID } from 'node:crypto';
import { withTenant } from '@parley/db';
import { z } from 'zod';
import type { RequestMeta } from '../auth/login.ts';
import { passwordSchema } from '../auth/password-policy.ts';
import { hashPassword } from '../auth/secrets.ts';
import { ForbiddenError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { grantRegistrationIncidents } from '../billing/support-plans.ts';
import type { Services } from '../services.ts';
import { accountLink, recordAccountMail, sendAfterCommit } from './account-mail.ts';
import { accountMailText, mailLocale } from './account-mail-texts.ts';
import { findAccountToken, newAccountToken, RESET_PASSWORD_TTL_MS, spendAccountToken, storeAccountToken, VERIFY_EMAIL_TTL_MS } from './account-tokens.ts';
import { consumePortalLimit } from './portal-rate-limits.ts';
import { portalTenant, type PortalTenant } from './portal-settings.ts';

export const signUpInput = z.object({
  tenantSlug: z.string().trim().toLowerCase().min(1),
  name: z.string().trim().min(1).max(200),
  email: z.email().trim().toLowerCase(),
  password: passwordSchema,
  locale: z.enum(['en', 'de', 'ru', 'ro']).optional(),
});

/**
 * Self sign-up in the portal (when the tenant allows it). The answer is the same whatever the
 * address: a new address gets an unverified account and a verification link; an address with an
 * account (customer or agent) gets a mail to its owner instead ("you have an account; reset your
 * password here"); an unverified sign-up takes the new password and gets a fresh verification link
 * (older links stop working). Nothing is changed on a verified or otherwise created account. Rate-limited per IP and per address before anything else happens.
 */
export async function signUpCustomer(s: Services, raw: z.input<typeof signUpInput>, meta: RequestMeta): Promise<{ email: string }> {
  const input = parseInput(signUpInput, raw);
  await consumePortalLimit(s, 'accountByIp', meta.ip);
  await consumePortalLimit(s, 'accountMailByAddress', `${input.tenantSlug}:${input.email}`);
  const tenant = await portalTenant(s, input.tenantSlug);
  if (!tenant.allowSignUp) throw new ForbiddenError('This help desk does not offer self sign-up');
  // Hashed whatever happens next, so a known address answers as slowly as a new one.
  const passwordHash = await hashPassword(input.password);
  const verifyToken = await newAccountToken(s, 'VERIFY_EMAIL');
  const resetToken = await newAccountToken(s, 'RESET_PASSWORD');

  const mailIds = await withTenant(s.db, tenant.id, async (tx) => {
    const agent = await tx.user.findUnique({ where: { tenantId_email: { tenantId: tenant.id, email: input.email } }, select: { id: true, name: true, active: true, locale: true } });
    if (agent) {
      if (!agent.active) return [];
      await storeAccountToken(tx, tenant.id, 'RESET_PASSWORD', { userId: agent.id }, resetToken, RESET_PASSWORD_TTL_MS);
      return [(await recordAccountMail(tx, s.config.MAIL_DOMAIN, tenant, existingAccountMail(tenant, agent.locale, agent.name, input.email, accountLink(s, tenant.slug, '/password/reset', resetToken)))).id];
    }
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "CustomerUser" ("id", "tenantId", "email", "name", "passwordHash", "locale", "updatedAt")
      VALUES (${randomUUID()}::uuid, ${tenant.id}::uuid, ${input.email}, ${input.name}, ${passwordHash}, ${input.locale ?? null}, now())
      ON CONFLICT ("tenantId", "email") DO NOTHING
      RETURNING "id"`;
    if (inserted.length) {
      const customerUserId = inserted[0].id;
      await tx.customerSignUp.create({ data: { tenantId: tenant.id, customerUserId } });
      await grantRegistrationIncidents(tx, tenant.id, customerUserId);
      await storeAccountToken(tx, tenant.id, 'VERIFY_EMAIL', { customerUserId }, verifyToken, VERIFY_EMAIL_TTL_MS);
      return [(await recordAccountMail(tx, s.config.MAIL_DOMAIN, tenant, verificationMail(tenant, input.locale, input.name, input.email, accountLink(s, tenant.slug, '/portal/verify', verifyToken)))).id];
    }
    const customer = await tx.customerUser.findUniqueOrThrow({ where: { tenantId_email: { tenantId: tenant.id, email: input.email } }, include: { signUp: true } });
    if (!customer.active) return [];
    if (customer.signUp && !customer.signUp.verifiedAt) {
      // The latest sign-up of an unverified address wins (its password and name; earlier links stop
      // working), so whoever registered the address first cannot plant a password its owner then verifies.
      await tx.customerUser.update({ where: { id: customer.id }, data: { passwordHash, name: input.name, ...(input.locale ? { locale: input.locale } : {}) } });
      await storeAccountToken(tx, tenant.id, 'VERIFY_EMAIL', { customerUserId: customer.id }, verifyToken, VERIFY_EMAIL_TTL_MS);
      return [(await recordAccountMail(tx, s.config.MAIL_DOMAIN, tenant, verificationMail(tenant, input.locale ?? customer.locale, input.name, customer.email, accountLink(s, tenant.slug, '/portal/verify', verifyToken)))).id];
    }
    await storeAccountToken(tx, tenant.id, 'RESET_PASSWORD', { customerUserId: customer.id }, resetToken, RESET_PASSWORD_TTL_MS);
    return [(await recordAccountMail(tx, s.config.MAIL_DOMAIN, tenant, existingAccountMail(tenant, customer.locale, customer.name, customer.email, accountLink(s, tenant.slug, '/portal/reset', resetToken)))).id];
  });
  await sendAfterCommit(s, tenant.id, mailIds);
  return { email: input.email };
}

/** Sends the verification link again to an unverified sign-up; silent for any other address. */
export async function resendVerification(s: Services, raw: { tenantSlug: string; email: string }, meta: RequestMeta): Promise<void> {
  const input = parseInput(z.object({ tenantSlug: z.string().trim().toLowerCase().min(1), email: z.email().trim().toLowerCase() }), raw);
  await consumePortalLimit(s, 'accountByIp', meta.ip);
  await consumePortalLimit(s, 'accountMailByAddress', `${input.tenantSlug}:${input.email}`);
  const tenant = await portalTenant(s, input.tenantSlug);
  const token = await newAccountToken(s, 'VERIFY_EMAIL');
  const mailIds = await withTenant(s.db, tenant.id, async (tx) => {
    const customer = await tx.customerUser.findUnique({ where: { tenantId_email: { tenantId: tenant.id, email: input.email } }, include: { signUp: true } });
    if (!customer?.active || !customer.signUp || customer.signUp.verifiedAt) return [];
    await storeAccountToken(tx, tenant.id, 'VERIFY_EMAIL', { customerUserId: customer.id }, token, VERIFY_EMAIL_TTL_MS);
    return [(await recordAccountMail(tx, s.config.MAIL_DOMAIN, tenant, verificationMail(tenant, customer.locale, customer.name, customer.email, accountLink(s, tenant.slug, '/portal/verify', token)))).id];
  });
  await sendAfterCommit(s, tenant.id, mailIds);
}

/** Opens a verification link: the sign-up becomes verified and the customer may sign in. */
export async function verifyEmail(s: Services, token: string): Promise<{ tenantSlug: string; email: string }> {
  const found = await findAccountToken(s, 'VERIFY_EMAIL', token);
  return withTenant(s.db, found.tenantId, async (tx) => {
    await spendAccountToken(tx, found.id);
    const customer = await tx.customerUser.findUniqueOrThrow({ where: { id: found.customerUserId! }, select: { id: true, email: true, tenant: { select: { slug: true } } } });
    await tx.customerSignUp.updateMany({ where: { customerUserId: customer.id, verifiedAt: null }, data: { verifiedAt: new Date() } });
    return { tenantSlug: customer.tenant.slug, email: customer.email };
  });
}

function verificationMail(tenant: PortalTenant, locale: string | null | undefined, name: string, address: string, link: string) {
  const text = accountMailText('verify', mailLocale(locale, tenant.defaultLocale), { tenant: tenant.name, name, link });
  return { to: { name, address }, subject: text.subject, text: text.body };
}

function existingAccountMail(tenant: PortalTenant, locale: string | null | undefined, name: string, address: string, resetLink: string) {
  const text = accountMailText('existing', mailLocale(locale, tenant.defaultLocale), { tenant: tenant.name, name, link: resetLink });
  return { to: { name, address }, subject: text.subject, text: text.body };
}
