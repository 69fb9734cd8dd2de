import { withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { parseInput } from '../errors/parse-input.ts';
import type { TenantViewer } from './viewer.ts';

export const LOCALES = ['en', 'de', 'ru', 'ro'] as const;
export type Locale = (typeof LOCALES)[number];

/** Stores the language the signed-in agent or customer chose; login and `me` hand it back. */
export async function setMyLocale(db: Db, viewer: TenantViewer, raw: { locale: string }): Promise<Locale> {
  const { locale } = parseInput(z.object({ locale: z.enum(LOCALES) }), raw);
  await withTenant(db, viewer.tenantId, async (tx) => {
    if (viewer.kind === 'agent') await tx.user.update({ where: { id: viewer.userId }, data: { locale } });
    else await tx.customerUser.update({ where: { id: viewer.customerUserId }, data: { locale } });
  });
  return locale;
}
