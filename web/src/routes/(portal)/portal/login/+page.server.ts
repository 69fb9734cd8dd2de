import { redirect } from '@sveltejs/kit';
import { PORTAL_INFO, type PortalInfoResult } from '#lib/graphql/portal-accounts.ts';
import { ApiUnavailableError, graphqlRequest } from '#lib/server/api.ts';
import { loginAction } from '#lib/server/login.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	if (locals.viewer) redirect(303, locals.viewer.kind === 'CUSTOMER' ? '/portal' : '/agent');
	// sign-up and guest-form links only where the tenant offers them
	let portal: PortalInfoResult['portalInfo'] = null;
	if (locals.tenant) {
		try {
			portal = (await graphqlRequest<PortalInfoResult>(event, PORTAL_INFO, { slug: locals.tenant }, { token: null })).portalInfo;
		} catch (error) {
			if (!(error instanceof ApiUnavailableError)) throw error;
		}
	}
	return { next: url.searchParams.get('next') ?? '/portal', portal };
};

export const actions: Actions = { default: loginAction };
