import { redirect } from '@sveltejs/kit';
import {
	ADMIN_BILLING,
	CUSTOMER_INCIDENTS,
	GRANT,
	SET_CUSTOMER_PLAN,
	type AdminBillingResult,
	type CustomerIncidentsResult,
	type GrantResult,
	type SetCustomerPlanResult
} from '#lib/graphql/billing.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, invalidField, optInt, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const email = event.url.searchParams.get('email')?.trim() ?? '';
	const { supportPlans } = await graphqlRequest<AdminBillingResult>(event, ADMIN_BILLING);
	const statement = email ? (await graphqlRequest<CustomerIncidentsResult>(event, CUSTOMER_INCIDENTS, { email })).customerIncidentsByEmail : null;
	return { email, statement, plans: supportPlans, saved: event.url.searchParams.get('saved') };
};

const back = (email: string, saved: string) => `/admin/billing/customers?email=${encodeURIComponent(email)}&saved=${saved}`;

export const actions: Actions = {
	/** Dedicated incidents granted by hand (goodwill, contract), optionally expiring. */
	grant: async (event) => {
		const data = await event.request.formData();
		const incidents = optInt(data, 'incidents');
		if (incidents === null || Number.isNaN(incidents)) return invalidField('grant', 'incidents', data);
		const expires = text(data, 'expiresAt');
		// The end of the chosen day (UTC): the lot is usable through that day.
		const expiresAt = expires ? new Date(`${expires}T23:59:59.999Z`) : null;
		if (expiresAt && Number.isNaN(expiresAt.getTime())) return invalidField('grant', 'expiresAt', data);
		const input = { customerId: text(data, 'customerId'), incidents, reason: text(data, 'reason'), expiresAt: expiresAt?.toISOString() ?? null };
		const res = await graphqlRequest<GrantResult>(event, GRANT, { input });
		const failure = adminFailure('grant', res.grantIncidents, data);
		if (failure) return failure;
		redirect(303, back(text(data, 'email'), 'granted'));
	},
	plan: async (event) => {
		const data = await event.request.formData();
		const planId = text(data, 'planId') || null;
		const res = await graphqlRequest<SetCustomerPlanResult>(event, SET_CUSTOMER_PLAN, { customerId: text(data, 'customerId'), planId });
		const failure = adminFailure('customerPlan', res.setCustomerSupportPlan, data);
		if (failure) return failure;
		redirect(303, back(text(data, 'email'), 'plan'));
	}
};
