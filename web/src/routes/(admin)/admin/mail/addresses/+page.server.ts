import { redirect } from '@sveltejs/kit';
import {
	CREATE_SYSTEM_ADDRESS,
	DELETE_SYSTEM_ADDRESS,
	SYSTEM_ADDRESSES,
	UPDATE_SYSTEM_ADDRESS,
	USE_AS_SENDER,
	type Result,
	type SystemAddressesResult
} from '#lib/graphql/admin-mail.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, optText, text } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<SystemAddressesResult>(event, SYSTEM_ADDRESSES);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.systemAddresses.find((a) => a.id === editId) ?? null };
};

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const id = optText(data, 'id');
		const input = { address: text(data, 'address'), displayName: optText(data, 'displayName'), queueId: text(data, 'queueId') };
		const res = id
			? (await graphqlRequest<{ updateSystemAddress: Result<'systemAddress', { id: string }> }>(event, UPDATE_SYSTEM_ADDRESS, { id, input })).updateSystemAddress
			: (await graphqlRequest<{ createSystemAddress: Result<'systemAddress', { id: string }> }>(event, CREATE_SYSTEM_ADDRESS, { input })).createSystemAddress;
		const failure = adminFailure('address', res, data);
		if (failure) return failure;
		redirect(303, '/admin/mail/addresses?saved=1');
	},
	useAsSender: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ useSystemAddressAsSender: Result<'systemAddress', { id: string }> }>(event, USE_AS_SENDER, { id: text(data, 'id') });
		const failure = adminFailure('list', res.useSystemAddressAsSender);
		if (failure) return failure;
		redirect(303, '/admin/mail/addresses?saved=sender');
	},
	delete: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ deleteSystemAddress: Result<'systemAddress', { id: string }> }>(event, DELETE_SYSTEM_ADDRESS, { id: text(data, 'id') });
		const failure = adminFailure('list', res.deleteSystemAddress);
		if (failure) return failure;
		redirect(303, '/admin/mail/addresses?saved=deleted');
	}
};
