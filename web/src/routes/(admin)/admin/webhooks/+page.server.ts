import { redirect } from '@sveltejs/kit';
import {
	ADMIN_WEBHOOKS,
	CREATE_WEBHOOK,
	DELETE_WEBHOOK,
	UPDATE_WEBHOOK,
	WEBHOOK_EVENTS,
	type AdminWebhooksResult,
	type CreateWebhookResult,
	type WebhookResult
} from '#lib/graphql/adminAutomation.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, all, checked, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminWebhooksResult>(event, ADMIN_WEBHOOKS);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.webhooks.find((w) => w.id === editId) ?? null };
};

const events = (data: FormData) => all(data, 'events').filter((e) => (WEBHOOK_EVENTS as readonly string[]).includes(e));

export const actions: Actions = {
	// The signing secret is returned once, in the action result (never stored by the web app, never in a URL).
	create: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ createWebhook: CreateWebhookResult }>(event, CREATE_WEBHOOK, { input: { url: text(data, 'url'), events: events(data) } });
		const failure = adminFailure('webhook', res.createWebhook, data);
		if (failure) return failure;
		const created = res.createWebhook as Extract<CreateWebhookResult, { __typename: 'CreateWebhookSuccess' }>;
		return { form: 'webhook', secret: created.created.secret, url: created.created.webhook.url };
	},
	update: async (event) => {
		const data = await event.request.formData();
		const input = { id: text(data, 'id'), url: text(data, 'url'), events: events(data), active: checked(data, 'active') };
		const res = await graphqlRequest<{ updateWebhook: WebhookResult }>(event, UPDATE_WEBHOOK, { input });
		const failure = adminFailure('webhook', res.updateWebhook, data);
		if (failure) return failure;
		redirect(303, '/admin/webhooks?saved=1');
	},
	delete: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ deleteWebhook: WebhookResult }>(event, DELETE_WEBHOOK, { id: text(data, 'id') });
		const failure = adminFailure('delete', res.deleteWebhook);
		if (failure) return failure;
		redirect(303, '/admin/webhooks?deleted=1');
	}
};
