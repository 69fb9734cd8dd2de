import { fail, redirect } from '@sveltejs/kit';
import { PORTAL_INFO, SIGN_UP, type PortalInfoResult, type SignUpResult } from '#lib/graphql/portal-accounts.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { accountFailure, anonymousRequest, type AccountFailure } from '#lib/server/portal-accounts.ts';
import { str } from '#lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	if (event.locals.viewer) redirect(303, event.locals.viewer.kind === 'CUSTOMER' ? '/portal' : '/agent');
	const slug = event.locals.tenant;
	const info = slug ? (await graphqlRequest<PortalInfoResult>(event, PORTAL_INFO, { slug }, { token: null })).portalInfo : null;
	return { allowSignUp: info?.allowSignUp ?? false, allowGuestTickets: info?.allowGuestTickets ?? false, tenantName: info?.tenantName ?? slug ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = { name: str(form, 'name'), email: str(form, 'email') };
		const password = String(form.get('password') ?? '');
		const tenantSlug = event.locals.tenant;
		if (!tenantSlug) return fail(400, { error: 'error.noTenant', ...values } satisfies AccountFailure & { name: string });
		if (!values.name || !values.email || !password) return fail(400, { error: 'portal.err.input', ...values } satisfies AccountFailure & { name: string });
		const res = await anonymousRequest<SignUpResult>(event, SIGN_UP, { input: { tenantSlug, ...values, password, locale: event.locals.locale } });
		if (res.failure) return res.failure;
		const payload = res.data.signUp;
		if (payload.__typename !== 'SignUpSuccess') {
			const failure = accountFailure(payload, values.email);
			return fail(failure.status, { ...failure.data, name: values.name });
		}
		return { sent: true as const, email: values.email };
	}
};
