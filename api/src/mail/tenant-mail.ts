import type { Db } from '@parley/db';

/** The domain a tenant's built-in addresses live under: its own, or <slug>.<MAIL_DOMAIN>. */
export function tenantMailDomain(tenant: { slug: string; mailDomain: string | null }, mailDomain: string): string {
  return (tenant.mailDomain ?? `${tenant.slug}.${mailDomain}`).toLowerCase();
}

/** The address every tenant has without configuring anything: support@<tenant mail domain>. */
export function defaultSystemAddress(tenant: { slug: string; mailDomain: string | null }, mailDomain: string): string {
  return `support@${tenantMailDomain(tenant, mailDomain)}`;
}

export interface RecipientTarget {
  tenantId: string;
  address: string;
  /** The system address's queue; null for the built-in address (the tenant's default queue). */
  queueId: string | null;
}

/**
 * Which tenant a recipient address belongs to: a verified system address (unique across
 * tenants), or the built-in support@<slug>.<MAIL_DOMAIN>. Runs as the system role: there is no
 * tenant yet. Never decided by the mail's headers, only by the address it was delivered to.
 */
export async function resolveRecipient(systemDb: Db, address: string, mailDomain: string): Promise<RecipientTarget | null> {
  const normalized = address.trim().toLowerCase();
  const at = normalized.lastIndexOf('@');
  if (at <= 0) return null;
  const local = normalized.slice(0, at);
  const domain = normalized.slice(at + 1);
  const sa = await systemDb.systemAddress.findUnique({ where: { address: normalized }, select: { tenantId: true, queueId: true, verifiedAt: true } });
  if (sa?.verifiedAt) return { tenantId: sa.tenantId, address: normalized, queueId: sa.queueId };
  if (local !== 'support') return null;
  const suffix = `.${mailDomain}`;
  const tenant = domain.endsWith(suffix)
    ? await systemDb.tenant.findFirst({ where: { OR: [{ slug: domain.slice(0, -suffix.length), mailDomain: null }, { mailDomain: domain }] }, select: { id: true } })
    : await systemDb.tenant.findFirst({ where: { mailDomain: domain }, select: { id: true } });
  // A suspended tenant still receives mail (kept, and ticketed as usual): suspension stops its
  // users, never its customers' mail.
  if (!tenant) return null;
  return { tenantId: tenant.id, address: normalized, queueId: null };
}
