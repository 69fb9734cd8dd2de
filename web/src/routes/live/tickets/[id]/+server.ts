import { LIVE_TICKET_EVENTS, LIVE_TICKET_PRESENCE } from '#lib/graphql/live.ts';
import { requireAgentSession, ticketIdParam } from '#lib/server/live/live-auth.ts';
import { liveResponse } from '#lib/server/live/live-response.ts';
import type { RequestHandler } from './$types';

/** SSE: events of one ticket (`ticket`) and who has it open (`presence`), over one upstream socket. */
export const GET: RequestHandler = (event) => {
	const token = requireAgentSession(event);
	const ticketId = ticketIdParam(event.params.id);
	return liveResponse(event, token, [
		{ event: 'ticket', query: LIVE_TICKET_EVENTS, variables: { ticketId } },
		{ event: 'presence', query: LIVE_TICKET_PRESENCE, variables: { ticketId } }
	]);
};
