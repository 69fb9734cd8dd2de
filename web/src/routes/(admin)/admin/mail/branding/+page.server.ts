import { redirect } from '@sveltejs/kit';
import { BRANDING, REMOVE_BRANDING_LOGO, SET_BRANDING_LOGO, UPDATE_BRANDING, type Branding, type BrandingResult, type Result } from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, text } from '#lib/server/admin.ts';
import { forgetBranding } from '#lib/server/branding.ts';
import type { Actions, PageServerLoad } from './$types';

/** Same limits as the API (api/src/branding/logo-image.ts); checked here first to spare the upload. */
const LOGO_MAX_BYTES = 256 * 1024;
const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export const load: PageServerLoad = async (event) => {
	const { branding } = await graphqlRequest<BrandingResult>(event, BRANDING, {});
	return { branding, logoMaxKiB: LOGO_MAX_BYTES / 1024 };
};

const logoFailure = (message: string) =>
	adminFailure('logo', { __typename: 'ValidationError', code: 'VALIDATION', message, field: 'logo' } as never)!;

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ updateBranding: Result<'branding', Branding> }>(event, UPDATE_BRANDING, {
			input: { displayName: text(data, 'displayName'), primaryColor: text(data, 'primaryColor') }
		});
		const failure = adminFailure('branding', res.updateBranding, data);
		if (failure) return failure;
		forgetBranding(event.locals.tenant);
		redirect(303, '/admin/mail/branding?saved=1');
	},
	logo: async (event) => {
		const data = await event.request.formData();
		const file = data.get('logo');
		if (!(file instanceof File) || file.size === 0) return logoFailure('Choose an image file');
		if (file.size > LOGO_MAX_BYTES) return logoFailure(`The logo is larger than ${LOGO_MAX_BYTES / 1024} KiB`);
		if (!LOGO_TYPES.includes(file.type)) return logoFailure('Use a PNG, JPEG, GIF or WebP image');
		const base64 = Buffer.from(await file.arrayBuffer()).toString('base64');
		const res = await graphqlRequest<{ setBrandingLogo: Result<'branding', Branding> }>(event, SET_BRANDING_LOGO, { input: { contentType: file.type, base64 } });
		const failure = adminFailure('logo', res.setBrandingLogo);
		if (failure) return failure;
		forgetBranding(event.locals.tenant);
		redirect(303, '/admin/mail/branding?saved=logo');
	},
	removeLogo: async (event) => {
		const res = await graphqlRequest<{ removeBrandingLogo: Result<'branding', Branding> }>(event, REMOVE_BRANDING_LOGO);
		const failure = adminFailure('logo', res.removeBrandingLogo);
		if (failure) return failure;
		forgetBranding(event.locals.tenant);
		redirect(303, '/admin/mail/branding?saved=logo');
	}
};
