import { TICKETS, type TicketsResult, type TicketsVariables } from '#lib/graphql/tickets.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The API scopes `tickets` to the signed-in customer.
export const load: PageServerLoad = async (event) => {
	const { tickets } = await graphqlRequest<TicketsResult, TicketsVariables>(event, TICKETS, {
		first: 50,
		after: event.url.searchParams.get('after'),
		filter: { includeArchived: true },
		orderBy: { field: 'UPDATED_AT', direction: 'DESC' }
	});
	return { tickets: tickets.edges.map((e) => e.node), pageInfo: tickets.pageInfo, totalCount: tickets.totalCount };
};
