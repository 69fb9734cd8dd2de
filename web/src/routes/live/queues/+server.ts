import { error } from '@sveltejs/kit';
import { LIVE_QUEUE_EVENTS } from '#lib/graphql/live.ts';
import { requireAgentSession } from '#lib/server/live/live-auth.ts';
import { liveResponse } from '#lib/server/live/live-response.ts';
import type { RequestHandler } from './$types';

/** SSE: changes of the tickets the agent can see (`?queue=<id>` narrows to one queue). */
export const GET: RequestHandler = (event) => {
	const token = requireAgentSession(event);
	const queueId = event.url.searchParams.get('queue') || null;
	if (queueId && !/^[A-Za-z0-9+/=_-]{8,120}$/.test(queueId)) error(400, { message: 'Bad queue id', code: 'BAD_REQUEST' });
	return liveResponse(event, token, [{ event: 'ticket', query: LIVE_QUEUE_EVENTS, variables: { queueId } }]);
};
