import { redirect } from '@sveltejs/kit';
import {
	CREATE_MAIL_FILTER,
	DELETE_MAIL_FILTER,
	MAIL_FILTERS,
	UPDATE_MAIL_FILTER,
	type MailFiltersResult,
	type Result
} from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, invalidField, optInt, optText, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

/** Condition rows in the form (more need a second save). */
const CONDITION_ROWS = 3;

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<MailFiltersResult>(event, MAIL_FILTERS);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.postmasterFilters.find((f) => f.id === editId) ?? null, rows: CONDITION_ROWS };
};

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const position = optInt(data, 'position');
		if (Number.isNaN(position)) return invalidField('filter', 'position', data);
		const match = [];
		for (let i = 0; i < Math.max(CONDITION_ROWS, 20); i++) {
			const header = text(data, `header${i}`);
			const pattern = data.get(`pattern${i}`);
			if (header && typeof pattern === 'string' && pattern !== '') match.push({ header, pattern, negate: checked(data, `negate${i}`) });
		}
		const input = {
			name: text(data, 'name'),
			position: position ?? 0,
			stop: checked(data, 'stop'),
			match,
			setQueueId: optText(data, 'setQueueId'),
			setPriorityId: optText(data, 'setPriorityId'),
			setStateId: optText(data, 'setStateId'),
			ignore: checked(data, 'ignore')
		};
		const id = optText(data, 'id');
		const res = id
			? (await graphqlRequest<{ updatePostmasterFilter: Result<'postmasterFilter', { id: string }> }>(event, UPDATE_MAIL_FILTER, { id, input: { ...input, active: checked(data, 'active') } })).updatePostmasterFilter
			: (await graphqlRequest<{ createPostmasterFilter: Result<'postmasterFilter', { id: string }> }>(event, CREATE_MAIL_FILTER, { input })).createPostmasterFilter;
		const failure = adminFailure('filter', res, data);
		if (failure) return failure;
		redirect(303, '/admin/mail/filters?saved=1');
	},
	delete: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ deletePostmasterFilter: Result<'postmasterFilter', { id: string }> }>(event, DELETE_MAIL_FILTER, { id: text(data, 'id') });
		const failure = adminFailure('list', res.deletePostmasterFilter);
		if (failure) return failure;
		redirect(303, '/admin/mail/filters?saved=deleted');
	}
};
