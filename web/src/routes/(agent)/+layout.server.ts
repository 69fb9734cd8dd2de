import { QUEUES, type QueuesResult } from '#lib/graphql/queues.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

// The hook already guarantees an AGENT or ADMIN viewer here.
export const load: LayoutServerLoad = async (event) => {
	// Live updates reload the queue counts (sidebar, overview) with invalidate('live:queues').
	event.depends('live:queues');
	const { queues } = await graphqlRequest<QueuesResult>(event, QUEUES);
	return { queues };
};
