import { redirect } from '@sveltejs/kit';
import { LOGOUT, type LogoutResult } from '#lib/graphql/auth.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { clearSession } from '#lib/server/cookies.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		const wasCustomer = event.locals.viewer?.kind === 'CUSTOMER';
		if (event.locals.sessionToken) {
			try {
				await graphqlRequest<LogoutResult>(event, LOGOUT);
			} catch {
				// the cookie goes anyway; the server-side session expires on its own
			}
		}
		clearSession(event.cookies);
		redirect(303, wasCustomer ? '/portal/login' : '/login');
	}
};
