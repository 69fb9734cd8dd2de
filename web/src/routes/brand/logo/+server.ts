// The tenant's logo, served from the tenant's own host (no third-party origin, no SVG).
import { error } from '@sveltejs/kit';
import { BRANDING_LOGO, type BrandingLogoResult } from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { RequestHandler } from './$types';

const TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export const GET: RequestHandler = async (event) => {
	const slug = event.locals.tenant;
	if (!slug) error(404, 'No logo');
	const { brandingLogo: logo } = await graphqlRequest<BrandingLogoResult>(event, BRANDING_LOGO, { slug }, { token: null });
	if (!logo || !TYPES.has(logo.contentType)) error(404, 'No logo');
	const versioned = event.url.searchParams.get('v') === logo.sha256.slice(0, 16);
	return new Response(Buffer.from(logo.base64, 'base64'), {
		headers: {
			'content-type': logo.contentType,
			'cache-control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
			etag: `"${logo.sha256}"`,
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox"
		}
	});
};
