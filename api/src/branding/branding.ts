import { createHash } from 'node:crypto';
import { withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import type { Services } from '../services.ts';
import { contrastWithWhite, MIN_CONTRAST_AA, normalizeHexColor } from './contrast.ts';
import { LOGO_MAX_BYTES, LOGO_TYPES, sniffImageType } from './logo-image.ts';

// Use cases behind the tenant admin's branding page (branding.graphql.ts) and the public
// branding the portal and agent header read by tenant slug.

export interface Branding {
  tenantId: string;
  /** The display name, else the tenant's name */
  name: string;
  displayName: string | null;
  primaryColor: string | null;
  logoType: string | null;
  logoSha256: string | null;
}

const brandingSelect = { displayName: true, primaryColor: true, logoType: true, logoSha256: true } as const;

export async function getBranding(db: Db, tenantId: string): Promise<Branding> {
  return withTenant(db, tenantId, async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, branding: { select: brandingSelect } } });
    const b = tenant.branding;
    return { tenantId, name: b?.displayName ?? tenant.name, displayName: b?.displayName ?? null, primaryColor: b?.primaryColor ?? null, logoType: b?.logoType ?? null, logoSha256: b?.logoSha256 ?? null };
  });
}

/** The tenant of a slug for anonymous callers (portal login page); null when unknown or suspended. */
export async function tenantIdOfSlug(services: Services, slug: string): Promise<string | null> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) return null;
  const t = await services.systemDb.tenant.findUnique({ where: { slug }, select: { id: true, suspended: true } });
  return t && !t.suspended ? t.id : null;
}

export const brandingInput = z.object({
  displayName: z.string().trim().max(100).nullish(),
  primaryColor: z.string().trim().max(20).nullish(),
});

/** Sets the display name and primary colour (empty: back to the default); the colour must carry white text at WCAG AA. */
export async function updateBranding(db: Db, tenantId: string, raw: z.input<typeof brandingInput>): Promise<Branding> {
  const input = parseInput(brandingInput, raw);
  let primaryColor: string | null = null;
  if (input.primaryColor) {
    primaryColor = normalizeHexColor(input.primaryColor);
    if (!primaryColor) throw new ValidationError('Not a colour: use #rrggbb', 'primaryColor');
    const ratio = contrastWithWhite(primaryColor);
    if (ratio < MIN_CONTRAST_AA) {
      throw new ValidationError(`White text on ${primaryColor} has a contrast of ${ratio.toFixed(2)}:1; at least ${MIN_CONTRAST_AA}:1 is needed (WCAG AA)`, 'primaryColor');
    }
  }
  const data = { displayName: input.displayName || null, primaryColor };
  await withTenant(db, tenantId, (tx) => tx.tenantBranding.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data }));
  return getBranding(db, tenantId);
}

export const logoInput = z.object({
  contentType: z.enum(LOGO_TYPES, { message: 'Use a PNG, JPEG, GIF or WebP image' }),
  /** The image, base64 */
  base64: z.string().min(1).max(Math.ceil(LOGO_MAX_BYTES / 3) * 4 + 4),
});

/** Replaces the logo. The bytes must be the declared image type and at most 256 KiB. */
export async function setBrandingLogo(db: Db, tenantId: string, raw: z.input<typeof logoInput>): Promise<Branding> {
  const input = parseInput(logoInput, raw);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(input.base64)) throw new ValidationError('The image is not valid base64', 'logo');
  const bytes = Buffer.from(input.base64, 'base64');
  if (bytes.length > LOGO_MAX_BYTES) throw new ValidationError(`The logo is larger than ${LOGO_MAX_BYTES / 1024} KiB`, 'logo');
  const sniffed = sniffImageType(bytes);
  if (sniffed !== input.contentType) throw new ValidationError('The file is not a PNG, JPEG, GIF or WebP image of the declared type', 'logo');
  const data = { logo: new Uint8Array(bytes), logoType: sniffed, logoSha256: createHash('sha256').update(bytes).digest('hex') };
  await withTenant(db, tenantId, (tx) => tx.tenantBranding.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data }));
  return getBranding(db, tenantId);
}

export async function removeBrandingLogo(db: Db, tenantId: string): Promise<Branding> {
  await withTenant(db, tenantId, (tx) => tx.tenantBranding.updateMany({ where: { tenantId }, data: { logo: null, logoType: null, logoSha256: null } }));
  return getBranding(db, tenantId);
}

/** The logo bytes of a tenant (served from the tenant's host by the web app). */
export async function getBrandingLogo(db: Db, tenantId: string): Promise<{ contentType: string; bytes: Buffer; sha256: string }> {
  const row = await withTenant(db, tenantId, (tx) => tx.tenantBranding.findUnique({ where: { tenantId }, select: { logo: true, logoType: true, logoSha256: true } }));
  if (!row?.logo || !row.logoType || !row.logoSha256) throw new NotFoundError('Logo');
  return { contentType: row.logoType, bytes: Buffer.from(row.logo), sha256: row.logoSha256 };
}
