import { CREATE_CUSTOMER, type CreateCustomerResult } from '#lib/graphql/admin.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked, optText, text } from '#lib/server/admin.ts';
import type { Actions } from './$types';

export const actions: Actions = {
	create: async (event) => {
		const data = await event.request.formData();
		const password = String(data.get('password') ?? '');
		const input = {
			name: text(data, 'name'),
			email: text(data, 'email'),
			companyName: optText(data, 'companyName'),
			password: password || undefined,
			seesCompanyTickets: checked(data, 'seesCompanyTickets')
		};
		const res = await graphqlRequest<{ createCustomer: CreateCustomerResult }>(event, CREATE_CUSTOMER, { input });
		const failure = adminFailure('customer', res.createCustomer, data);
		if (failure) return failure;
		const ok = res.createCustomer as Extract<CreateCustomerResult, { __typename: 'CreateCustomerSuccess' }>;
		return { form: 'customer', created: ok.customer.name };
	}
};
