import { fail, redirect } from '@sveltejs/kit';
import { ONBOARD_TENANT, type OnboardTenantResult, type OnboardTenantVariables } from '#lib/graphql/provider.ts';
import {
	CHANGE_TENANT_PLAN,
	PROVIDER_TENANTS,
	RESUME_TENANT,
	SUSPEND_TENANT,
	type ChangeTenantPlanResult,
	type ProviderTenantsResult,
	type ResumeTenantResult,
	type SuspendTenantResult
} from '#lib/graphql/billing.ts';
import { optInt } from '#lib/server/admin.ts';
import { graphqlRequest, GraphQLRequestError } from '#lib/server/api.ts';
import { clearProviderToken } from '#lib/server/cookies.ts';
import { str } from '#lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const token = event.locals.providerToken;
	if (!token) redirect(303, '/provider/login');
	try {
		const { tenants } = await graphqlRequest<ProviderTenantsResult>(event, PROVIDER_TENANTS, {}, { token });
		return { tenants, editing: event.url.searchParams.get('tenant') };
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
	},
	/** Plan and limits of one tenant (empty limit: the plan's). */
	plan: async (event) => {
		const token = event.locals.providerToken;
		if (!token) redirect(303, '/provider/login');
		const form = await event.request.formData();
		const tenantId = str(form, 'tenantId');
		const limits = { agents: optInt(form, 'agents'), ticketsPerMonth: optInt(form, 'ticketsPerMonth'), storageMb: optInt(form, 'storageMb') };
		const bad = Object.entries(limits).find(([, v]) => Number.isNaN(v));
		if (bad) return fail(400, { tenantId, error: 'ticket.err.validation' as const, params: { field: bad[0] }, detail: '' });
		const res = await graphqlRequest<ChangeTenantPlanResult>(event, CHANGE_TENANT_PLAN, { tenantId, plan: str(form, 'plan'), limits }, { token });
		const r = res.changeTenantPlan;
		if (r.__typename === 'ChangeTenantPlanSuccess' && 'tenant' in r) return { success: 'billing.provider.planChanged' as const, slug: r.tenant.slug };
		const field = 'field' in r ? (r.field ?? '') : '';
		return fail(400, { tenantId, error: 'ticket.err.validation' as const, params: { field }, detail: 'message' in r ? r.message : '' });
	},
	suspend: async (event) => {
		const token = event.locals.providerToken;
		if (!token) redirect(303, '/provider/login');
		const form = await event.request.formData();
		const res = await graphqlRequest<SuspendTenantResult>(event, SUSPEND_TENANT, { tenantId: str(form, 'tenantId'), reason: str(form, 'reason') || null }, { token });
		const r = res.suspendTenant;
		if (r.__typename === 'SuspendTenantSuccess' && 'tenant' in r) return { success: 'billing.provider.suspendedDone' as const, slug: r.tenant.slug };
		return fail(400, { tenantId: str(form, 'tenantId'), error: 'error.generic' as const, params: {}, detail: 'message' in r ? r.message : '' });
	},
	resume: async (event) => {
		const token = event.locals.providerToken;
		if (!token) redirect(303, '/provider/login');
		const form = await event.request.formData();
		const res = await graphqlRequest<ResumeTenantResult>(event, RESUME_TENANT, { tenantId: str(form, 'tenantId') }, { token });
		const r = res.resumeTenant;
		if (r.__typename === 'ResumeTenantSuccess' && 'tenant' in r) return { success: 'billing.provider.resumedDone' as const, slug: r.tenant.slug };
		return fail(400, { tenantId: str(form, 'tenantId'), error: 'error.generic' as const, params: {}, detail: 'message' in r ? r.message : '' });
	}
};
