import { fail, redirect } from '@sveltejs/kit';
import {
	ONBOARD_TENANT,
	TENANTS,
	type OnboardTenantResult,
	type OnboardTenantVariables,
	type TenantsResult
} from '#lib/graphql/provider.ts';
import { graphqlRequest, GraphQLRequestError } from '#lib/server/api.ts';
import { clearProviderToken } from '#lib/server/cookies.ts';
import { str } from '#lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const token = event.locals.providerToken;
	if (!token) redirect(303, '/provider/login');
	try {
		const { tenants } = await graphqlRequest<TenantsResult>(event, TENANTS, {}, { token });
		return { tenants };
	} catch (error) {
		if (error instanceof GraphQLRequestError) {
			clearProviderToken(event.cookies);
			redirect(303, '/provider/login');
		}
		throw error;
	}
};

export const actions: Actions = {
	onboard: async (event) => {
		const token = event.locals.providerToken;
		if (!token) redirect(303, '/provider/login');
		const form = await event.request.formData();
		const input = {
			slug: str(form, 'slug').toLowerCase(),
			name: str(form, 'name'),
			adminEmail: str(form, 'adminEmail'),
			adminPassword: String(form.get('adminPassword') ?? '')
		};
		const values = { slug: input.slug, name: input.name, adminEmail: input.adminEmail };
		const data = await graphqlRequest<OnboardTenantResult, OnboardTenantVariables>(event, ONBOARD_TENANT, { input }, { token });
		const payload = data.onboardTenant;
		if (payload.__typename === 'OnboardTenantSuccess' && 'tenant' in payload) {
			return { success: 'provider.onboarded' as const, slug: payload.tenant.slug };
		}
		if (payload.__typename === 'ValidationError' && 'field' in payload) {
			return fail(400, { error: 'ticket.err.validation' as const, params: { field: payload.field ?? '' }, values });
		}
		return fail(400, { error: 'error.generic' as const, params: {}, detail: 'message' in payload ? payload.message : '', values });
	}
};
