import { redirect } from '@sveltejs/kit';
import {
	ADMIN_LOOKUPS,
	SAVE_PRIORITY,
	SAVE_TICKET_STATE,
	SAVE_TICKET_TYPE,
	STATE_TYPES,
	type AdminLookupsResult,
	type SaveResult,
	type StateType
} from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, invalidField, optInt, optText, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => graphqlRequest<AdminLookupsResult>(event, ADMIN_LOOKUPS);

/** Failures are keyed by the row (`state-<id>` or `state-new`) so the message shows on that row. */
const formKey = (kind: string, data: FormData) => `${kind}-${text(data, 'id') || 'new'}`;

export const actions: Actions = {
	state: async (event) => {
		const data = await event.request.formData();
		const type = text(data, 'type') as StateType;
		const res = await graphqlRequest<{ saveTicketState: SaveResult }>(event, SAVE_TICKET_STATE, {
			id: optText(data, 'id'),
			name: text(data, 'name'),
			type: STATE_TYPES.includes(type) ? type : undefined,
			active: checked(data, 'active')
		});
		const failure = adminFailure(formKey('state', data), res.saveTicketState, data);
		if (failure) return failure;
		redirect(303, '/admin/lookups?saved=1#states');
	},
	priority: async (event) => {
		const data = await event.request.formData();
		const level = optInt(data, 'level');
		if (Number.isNaN(level)) return invalidField(formKey('priority', data), 'level', data);
		const res = await graphqlRequest<{ savePriority: SaveResult }>(event, SAVE_PRIORITY, {
			id: optText(data, 'id'),
			name: text(data, 'name'),
			level,
			color: optText(data, 'color'),
			active: checked(data, 'active')
		});
		const failure = adminFailure(formKey('priority', data), res.savePriority, data);
		if (failure) return failure;
		redirect(303, '/admin/lookups?saved=1#priorities');
	},
	type: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ saveTicketType: SaveResult }>(event, SAVE_TICKET_TYPE, {
			id: optText(data, 'id'),
			name: text(data, 'name'),
			active: checked(data, 'active')
		});
		const failure = adminFailure(formKey('type', data), res.saveTicketType, data);
		if (failure) return failure;
		redirect(303, '/admin/lookups?saved=1#types');
	}
};
