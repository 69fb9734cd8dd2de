import { redirect } from '@sveltejs/kit';
import {
	AUTO_RESPONSE_KINDS,
	AUTO_RESPONSES,
	DELETE_AUTO_RESPONSE,
	SET_AUTO_RESPONSE,
	type AutoResponseKind,
	type AutoResponsesResult,
	type Result
} from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

const kindOf = (v: string | null): AutoResponseKind => (AUTO_RESPONSE_KINDS as readonly string[]).includes(v ?? '') ? (v as AutoResponseKind) : 'NEW_TICKET';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AutoResponsesResult>(event, AUTO_RESPONSES);
	const queueId = event.url.searchParams.get('queue');
	const kind = kindOf(event.url.searchParams.get('kind'));
	const target = queueId && data.queues.some((q) => q.id === queueId) ? { queueId, kind } : null;
	return { ...data, target, editing: target ? (data.autoResponses.find((r) => r.queueId === target.queueId && r.kind === target.kind) ?? null) : null };
};

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const body = data.get('body');
		const input = {
			queueId: text(data, 'queueId'),
			kind: kindOf(text(data, 'kind')),
			subject: text(data, 'subject'),
			body: typeof body === 'string' ? body : '',
			active: checked(data, 'active')
		};
		const res = await graphqlRequest<{ setAutoResponse: Result<'autoResponse', { id: string }> }>(event, SET_AUTO_RESPONSE, { input });
		const failure = adminFailure('response', res.setAutoResponse, data);
		if (failure) return failure;
		redirect(303, '/admin/mail/auto-responses?saved=1');
	},
	delete: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ deleteAutoResponse: Result<'autoResponse', { id: string }> }>(event, DELETE_AUTO_RESPONSE, { id: text(data, 'id') });
		const failure = adminFailure('list', res.deleteAutoResponse);
		if (failure) return failure;
		redirect(303, '/admin/mail/auto-responses?saved=deleted');
	}
};
