import { MY_INCIDENTS, type MyIncidentsResult } from '#lib/graphql/billing.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** Checkout abandoned: nothing was charged; the balance shown is the API's. */
export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<MyIncidentsResult>(event, MY_INCIDENTS);
	return { balance: data.myIncidents.balance };
};
