import { safeColor, tenantBranding } from '#lib/server/branding.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const { locals } = event;
	const branding = await tenantBranding(event);
	return {
		locale: locals.locale,
		tenant: locals.tenant,
		viewer: locals.viewer
			? { id: locals.viewer.id, name: locals.viewer.name, email: locals.viewer.email, kind: locals.viewer.kind, tenant: locals.viewer.tenant ?? null }
			: null,
		/** The admin's branding page (adminMail): display name, primary colour, logo URL */
		branding: branding
			? {
					name: branding.name,
					primaryColor: safeColor(branding.primaryColor),
					logoUrl: branding.logoVersion ? `/brand/logo?v=${encodeURIComponent(branding.logoVersion)}` : null
				}
			: null
	};
};
