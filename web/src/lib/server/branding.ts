// The tenant's branding for every page (root layout): read anonymously by the tenant slug, so the
// answer depends on the host only, and cached per slug for a few seconds (one API call per page
// otherwise). The admin's branding page drops the entry when it saves.
import { BRANDING, type Branding, type BrandingResult } from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from './api.ts';

const TTL_MS = 5_000;
const cache = new Map<string, { at: number; value: Branding | null }>();

type Event = Parameters<typeof graphqlRequest>[0];

export async function tenantBranding(event: Event): Promise<Branding | null> {
	const slug = event.locals.tenant;
	if (!slug) return null;
	const hit = cache.get(slug);
	if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
	try {
		const { branding } = await graphqlRequest<BrandingResult>(event, BRANDING, { slug }, { token: null });
		cache.set(slug, { at: Date.now(), value: branding });
		if (cache.size > 1000) cache.delete(cache.keys().next().value!);
		return branding;
	} catch {
		return hit?.value ?? null; // API down: the page still renders, unbranded
	}
}

export function forgetBranding(slug: string | null) {
	if (slug) cache.delete(slug);
}

/** A colour the API accepted (#rrggbb), else null: nothing else ever reaches a style attribute. */
export function safeColor(value: string | null | undefined): string | null {
	return value && /^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : null;
}
