import { redirect } from '@sveltejs/kit';
import { clearProviderToken } from '#lib/server/cookies.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/provider');

export const actions: Actions = {
	default: ({ cookies }) => {
		clearProviderToken(cookies);
		redirect(303, '/provider/login');
	}
};
