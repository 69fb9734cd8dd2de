import { redirect } from '@sveltejs/kit';
import { ADMIN_AGENTS_FULL, CREATE_AGENT, UPDATE_AGENT, type AdminAgentsFullResult, type AgentMutationResult } from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, all, checked, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminAgentsFullResult>(event, ADMIN_AGENTS_FULL);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.agents.find((a) => a.id === editId) ?? null };
};

export const actions: Actions = {
	create: async (event) => {
		const data = await event.request.formData();
		const input = {
			name: text(data, 'name'),
			email: text(data, 'email'),
			password: String(data.get('password') ?? ''),
			admin: checked(data, 'admin'),
			roleIds: all(data, 'roleIds')
		};
		const res = await graphqlRequest<{ createAgent: AgentMutationResult }>(event, CREATE_AGENT, { input });
		const failure = adminFailure('agent', res.createAgent, data);
		if (failure) return failure;
		redirect(303, '/admin/agents?saved=1');
	},
	update: async (event) => {
		const data = await event.request.formData();
		const input = {
			id: text(data, 'id'),
			name: text(data, 'name'),
			admin: checked(data, 'admin'),
			active: checked(data, 'active'),
			roleIds: all(data, 'roleIds')
		};
		const res = await graphqlRequest<{ updateAgent: AgentMutationResult }>(event, UPDATE_AGENT, { input });
		const failure = adminFailure('agent', res.updateAgent, data);
		if (failure) return failure;
		redirect(303, '/admin/agents?saved=1');
	}
};
