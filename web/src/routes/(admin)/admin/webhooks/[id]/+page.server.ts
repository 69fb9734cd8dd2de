import { error, redirect } from '@sveltejs/kit';
import { REDELIVER, WEBHOOK_LOG, type RedeliverResult, type WebhookLogResult } from '#lib/graphql/adminAutomation.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { webhook } = await graphqlRequest<WebhookLogResult>(event, WEBHOOK_LOG, { id: event.params.id });
	if (!webhook) error(404, 'Webhook not found');
	return { webhook };
};

export const actions: Actions = {
	redeliver: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ redeliverWebhookDelivery: RedeliverResult }>(event, REDELIVER, { id: text(data, 'id') });
		const failure = adminFailure('redeliver', res.redeliverWebhookDelivery);
		if (failure) return failure;
		redirect(303, `/admin/webhooks/${event.params.id}?queued=1`);
	}
};
