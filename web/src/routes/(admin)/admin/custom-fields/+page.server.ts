import { redirect } from '@sveltejs/kit';
import {
	ADMIN_CUSTOM_FIELDS,
	CUSTOM_FIELD_TYPES,
	OPTION_TYPES,
	SAVE_CUSTOM_FIELD,
	type AdminCustomFieldsResult,
	type CustomFieldType,
	type SaveResult
} from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, optText, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminCustomFieldsResult>(event, ADMIN_CUSTOM_FIELDS);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.customFieldDefinitions.find((f) => f.id === editId) ?? null };
};

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const type = text(data, 'type') as CustomFieldType;
		// options: one per line (only for the choice types)
		const options = text(data, 'options').split('\n').map((o) => o.trim()).filter(Boolean);
		const input = {
			id: optText(data, 'id') ?? undefined,
			key: text(data, 'key'),
			label: text(data, 'label'),
			type: CUSTOM_FIELD_TYPES.includes(type) ? type : 'TEXT',
			options: OPTION_TYPES.includes(type) ? options : [],
			queueId: optText(data, 'queueId') ?? undefined,
			required: checked(data, 'required'),
			visibleToCustomer: checked(data, 'visibleToCustomer')
		};
		const res = await graphqlRequest<{ saveCustomField: SaveResult }>(event, SAVE_CUSTOM_FIELD, { input });
		const failure = adminFailure('field', res.saveCustomField, data);
		if (failure) return failure;
		redirect(303, '/admin/custom-fields?saved=1');
	}
};
