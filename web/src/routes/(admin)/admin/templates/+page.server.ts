import { redirect } from '@sveltejs/kit';
import { ADMIN_TEMPLATES, SAVE_TEMPLATE, TEMPLATE_KINDS, type AdminTemplatesResult, type SaveResult, type TemplateKindName } from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, optText, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminTemplatesResult>(event, ADMIN_TEMPLATES);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.templates.find((t) => t.id === editId) ?? null };
};

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const kind = text(data, 'kind') as TemplateKindName;
		const body = data.get('body');
		const res = await graphqlRequest<{ saveTemplate: SaveResult }>(event, SAVE_TEMPLATE, {
			id: optText(data, 'id'),
			name: text(data, 'name'),
			kind: TEMPLATE_KINDS.includes(kind) ? kind : 'ANSWER',
			body: typeof body === 'string' ? body : '',
			active: checked(data, 'active')
		});
		const failure = adminFailure('template', res.saveTemplate, data);
		if (failure) return failure;
		redirect(303, '/admin/templates?saved=1');
	}
};
