import { withTenant, type Db } from '@parley/db';

/**
 * Links into the web app for one tenant. `/t/<slug>` selects the tenant whatever host serves the
 * app (the web app remembers it and redirects to the rest of the path, query kept), so a link in
 * a mail or a Stripe return URL lands in the right help desk even when PUBLIC_WEB_URL is the
 * platform's shared host.
 */
export function tenantWebUrl(config: { publicWebUrl: string }, tenantSlug: string, path: string): string {
  return `${config.publicWebUrl}/t/${tenantSlug}${path}`;
}

/** The tenant's slug (its own row, under RLS). */
export async function tenantSlugOf(db: Db, tenantId: string): Promise<string> {
  return (await withTenant(db, tenantId, (tx) => tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { slug: true } }))).slug;
}
