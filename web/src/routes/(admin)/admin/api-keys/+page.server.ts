import { redirect } from '@sveltejs/kit';
import {
	ADMIN_API_KEYS,
	API_KEY_SCOPES,
	CREATE_API_KEY,
	REVOKE_API_KEY,
	type AdminApiKeysResult,
	type ApiKeyScope,
	type CreateApiKeyResult,
	type RevokeApiKeyResult
} from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, all, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => graphqlRequest<AdminApiKeysResult>(event, ADMIN_API_KEYS);

export const actions: Actions = {
	// The secret is returned once, in the action result (never stored in the web app, never in a URL).
	create: async (event) => {
		const data = await event.request.formData();
		const scopes = all(data, 'scopes').filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s));
		const res = await graphqlRequest<{ createApiKey: CreateApiKeyResult }>(event, CREATE_API_KEY, { input: { name: text(data, 'name'), scopes } });
		const failure = adminFailure('key', res.createApiKey, data);
		if (failure) return failure;
		const created = res.createApiKey as Extract<CreateApiKeyResult, { __typename: 'CreateApiKeySuccess' }>;
		return { form: 'key', secret: created.created.secret, name: created.created.apiKey.name };
	},
	revoke: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ revokeApiKey: RevokeApiKeyResult }>(event, REVOKE_API_KEY, { id: text(data, 'id') });
		const failure = adminFailure('revoke', res.revokeApiKey);
		if (failure) return failure;
		redirect(303, '/admin/api-keys?saved=1');
	}
};
