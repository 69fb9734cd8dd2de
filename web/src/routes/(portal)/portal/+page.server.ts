import { PORTAL_PROFILE, type PortalProfileResult } from '#lib/graphql/portal-accounts.ts';
import { TICKETS, type TicketsResult, type TicketsVariables } from '#lib/graphql/tickets.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The API scopes `tickets` to what the signed-in customer may see: their own tickets, plus their
// company's when they have company access. `?show=mine` narrows it to their own.
export const load: PageServerLoad = async (event) => {
	const { portalProfile } = await graphqlRequest<PortalProfileResult>(event, PORTAL_PROFILE);
	const show = portalProfile.seesCompanyTickets && event.url.searchParams.get('show') !== 'mine' ? 'company' : 'mine';
	const me = event.locals.viewer?.id;
	const { tickets } = await graphqlRequest<TicketsResult, TicketsVariables>(event, TICKETS, {
		first: 50,
		after: event.url.searchParams.get('after'),
		filter: { includeArchived: true, ...(show === 'mine' && me ? { customerUserId: me } : {}) },
		orderBy: { field: 'UPDATED_AT', direction: 'DESC' }
	});
	return { tickets: tickets.edges.map((e) => e.node), pageInfo: tickets.pageInfo, totalCount: tickets.totalCount, profile: portalProfile, show, me };
};
