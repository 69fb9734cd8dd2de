import { RECORD_TICKET_VIEW, TICKET_BY_NUMBER, type RecordTicketViewResult, type TicketByNumberResult, type TicketView } from '#lib/graphql/tickets.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

/**
 * "Who viewed this ticket" is logged here, not in the page load: live updates re-run the page
 * load (invalidate('live:ticket')) and must not log a new view each time. Runs when the agent
 * opens the ticket (and after their own form actions, which reload everything). Best effort.
 */
export const load: LayoutServerLoad = async (event) => {
	return { ownView: await recordView(event) };
};

async function recordView(event: Parameters<LayoutServerLoad>[0]): Promise<TicketView | null> {
	if (event.request.method !== 'GET') return null; // a no-JS form post re-renders the page; not a new view
	try {
		const { ticket } = await graphqlRequest<TicketByNumberResult>(event, TICKET_BY_NUMBER, { number: event.params.number });
		if (!ticket) return null;
		const data = await graphqlRequest<RecordTicketViewResult>(event, RECORD_TICKET_VIEW, { input: { ticketId: ticket.id } });
		return data.recordTicketView.view ?? null;
	} catch {
		return null;
	}
}
