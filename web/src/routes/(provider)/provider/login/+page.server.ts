import { fail, redirect } from '@sveltejs/kit';
import { TENANTS, type TenantsResult } from '#lib/graphql/provider.ts';
import { ApiUnavailableError, graphqlRequest } from '#lib/server/api.ts';
import { setProviderToken } from '#lib/server/cookies.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.providerToken) redirect(303, '/provider');
};

export const actions: Actions = {
	/** The token is checked once against the API, then kept in an httpOnly, SameSite=strict cookie. */
	default: async (event) => {
		const token = String((await event.request.formData()).get('token') ?? '').trim();
		if (!token) return fail(400, { error: 'provider.badToken' as const });
		try {
			await graphqlRequest<TenantsResult>(event, TENANTS, {}, { token });
		} catch (error) {
			if (error instanceof ApiUnavailableError) return fail(503, { error: 'error.apiUnavailable' as const });
			return fail(401, { error: 'provider.badToken' as const });
		}
		setProviderToken(event.cookies, token);
		redirect(303, '/provider');
	}
};
