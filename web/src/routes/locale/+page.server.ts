import { redirect } from '@sveltejs/kit';
import { setLocaleCookie } from '#lib/server/cookies.ts';
import { normalizeLocale } from '#lib/i18n/index.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { SET_MY_LOCALE } from '#lib/graphql/workspace.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

/** The language switcher posts here; the choice is kept in a cookie and saved on the signed-in user. */
export const actions: Actions = {
	default: async (event) => {
		const { request, cookies } = event;
		const form = await request.formData();
		const locale = normalizeLocale(String(form.get('locale') ?? ''));
		if (locale) setLocaleCookie(cookies, locale);
		if (locale && event.locals.viewer) {
			await graphqlRequest(event, SET_MY_LOCALE, { input: { locale } }).catch(() => undefined); // the cookie still applies
		}
		const back = String(form.get('back') ?? '/');
		redirect(303, back.startsWith('/') && !back.startsWith('//') ? back : '/');
	}
};
