import { redirect } from '@sveltejs/kit';
import { setLocaleCookie } from '#lib/server/cookies.ts';
import { normalizeLocale } from '#lib/i18n/index.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

/** The language switcher posts here; the choice is kept in a cookie. */
export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const form = await request.formData();
		const locale = normalizeLocale(String(form.get('locale') ?? ''));
		if (locale) setLocaleCookie(cookies, locale);
		const back = String(form.get('back') ?? '/');
		redirect(303, back.startsWith('/') && !back.startsWith('//') ? back : '/');
	}
};
