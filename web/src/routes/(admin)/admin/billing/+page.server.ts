import { redirect } from '@sveltejs/kit';
import {
	ADMIN_BILLING,
	CONNECT_STRIPE,
	SET_QUEUE_INCIDENT,
	UPDATE_SETTINGS,
	type AdminBillingResult,
	type ConnectStripeResult,
	type SetQueueIncidentResult,
	type UpdateSettingsResult
} from '#lib/graphql/billing.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { redirectToStripe } from '#lib/server/billing.ts';
import { adminFailure, all, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminBillingResult>(event, ADMIN_BILLING);
	return { ...data, stripeReturn: event.url.searchParams.get('stripe'), saved: event.url.searchParams.get('saved') };
};

export const actions: Actions = {
	/** Creates the Express account on first use; either way Stripe's onboarding link is next. */
	connect: async (event) => {
		const res = await graphqlRequest<ConnectStripeResult>(event, CONNECT_STRIPE);
		const r = res.connectStripeAccount;
		if (r.__typename === 'ConnectStripeAccountSuccess' && 'onboarding' in r) redirectToStripe(r.onboarding.url);
		return adminFailure('connect', r);
	},
	settings: async (event) => {
		const data = await event.request.formData();
		const consumeOn = text(data, 'consumeOn') === 'ON_FIRST_REPLY' ? 'ON_FIRST_REPLY' : 'ON_CREATE';
		const input = { consumeOn, currency: text(data, 'currency').toLowerCase() };
		const res = await graphqlRequest<UpdateSettingsResult>(event, UPDATE_SETTINGS, { input });
		const failure = adminFailure('settings', res.updateBillingSettings, data);
		if (failure) return failure;
		redirect(303, '/admin/billing?saved=settings');
	},
	/** The "requires an incident" flag of every queue, from one form (only changed ones are sent). */
	queues: async (event) => {
		const data = await event.request.formData();
		const wanted = new Set(all(data, 'requiresIncident'));
		const { queues, incidentQueueIds } = await graphqlRequest<AdminBillingResult>(event, ADMIN_BILLING);
		const current = new Set(incidentQueueIds);
		for (const q of queues) {
			if (wanted.has(q.id) === current.has(q.id)) continue;
			const res = await graphqlRequest<SetQueueIncidentResult>(event, SET_QUEUE_INCIDENT, { queueId: q.id, requiresIncident: wanted.has(q.id) });
			const failure = adminFailure('queues', res.setQueueRequiresIncident);
			if (failure) return failure;
		}
		redirect(303, '/admin/billing?saved=queues');
	}
};
