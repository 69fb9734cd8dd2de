import { withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { NotFoundError, TenantSuspendedError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import type { Services } from '../services.ts';

export interface PortalTenant { id: string; slug: string; name: string; mailDomain: string | null; ticketHook: string; ticketNumberFormat: string; defaultLocale: string; allowSignUp: boolean; allowGuestTickets: boolean }

/**
 * The tenant an anonymous portal request names (sign-up, reset, guest form), with its portal
 * switches. The slug is resolved with the system role (no tenant yet, as in login); everything
 * else is read under the tenant's row-level security.
 */
export async function portalTenant(s: Pick<Services, 'systemDb' | 'db'>, slug: string): Promise<PortalTenant> {
  const tenant = await s.systemDb.tenant.findUnique({
    where: { slug: slug.trim().toLowerCase() },
    select: { id: true, slug: true, name: true, mailDomain: true, ticketHook: true, ticketNumberFormat: true, defaultLocale: true, suspended: true },
  });
  if (!tenant) throw new NotFoundError('Tenant');
  if (tenant.suspended) throw new TenantSuspendedError();
  const settings = await withTenant(s.db, tenant.id, (tx) => tx.portalSettings.findUnique({ where: { tenantId: tenant.id } }));
  const { suspended: _s, ...rest } = tenant;
  return { ...rest, allowSignUp: settings?.allowSignUp ?? false, allowGuestTickets: settings?.allowGuestTickets ?? false };
}

export async function getPortalSettings(db: Db, tenantId: string) {
  const row = await withTenant(db, tenantId, (tx) => tx.portalSettings.findUnique({ where: { tenantId } }));
  return { allowSignUp: row?.allowSignUp ?? false, allowGuestTickets: row?.allowGuestTickets ?? false };
}

export const portalSettingsInput = z.object({ allowSignUp: z.boolean().optional(), allowGuestTickets: z.boolean().optional() });

/** Admins switch self sign-up and the guest form on or off. */
export async function updatePortalSettings(db: Db, tenantId: string, raw: z.input<typeof portalSettingsInput>) {
  const input = parseInput(portalSettingsInput, raw);
  return withTenant(db, tenantId, (tx) => tx.portalSettings.upsert({
    where: { tenantId }, create: { tenantId, ...input }, update: input,
    select: { allowSignUp: true, allowGuestTickets: true },
  }));
}
