// Live updates: subscriptions the SSE relay forwards (/live/...) and the presence heartbeat.

/** Everything that happens to one ticket (agents get locks too). */
export const LIVE_TICKET_EVENTS = /* GraphQL */ `
	subscription LiveTicketEvents($ticketId: ID!) {
		ticketChanged(ticketId: $ticketId) { id kind at ticketId actorUserId articleId changes }
	}
`;

/** Who has the ticket open (the viewer included). */
export const LIVE_TICKET_PRESENCE = /* GraphQL */ `
	subscription LiveTicketPresence($ticketId: ID!) {
		ticketPresence(ticketId: $ticketId) { agentId name activity }
	}
`;

/** Changes of every ticket the agent can see, optionally of one queue (ticket list banner). */
export const LIVE_QUEUE_EVENTS = /* GraphQL */ `
	subscription LiveQueueEvents($queueId: ID) {
		ticketChanged(queueId: $queueId) { id kind ticketId actorUserId }
	}
`;

export const ANNOUNCE_PRESENCE = /* GraphQL */ `
	mutation AnnounceTicketPresence($input: AnnounceTicketPresenceInput!) {
		announceTicketPresence(input: $input) {
			__typename
			... on AnnounceTicketPresenceSuccess { presence { agentId name activity } }
			... on Error { code message }
		}
	}
`;

export const LEAVE_PRESENCE = /* GraphQL */ `
	mutation LeaveTicketPresence($ticketId: ID!) {
		leaveTicketPresence(ticketId: $ticketId) {
			__typename
			... on Error { code message }
		}
	}
`;

export type PresenceActivity = 'VIEWING' | 'REPLYING';

export interface LivePresence {
	agentId: string;
	name: string;
	activity: PresenceActivity;
}

export interface LiveTicketEvent {
	id: string;
	kind: string;
	at: string;
	ticketId: string;
	actorUserId: string | null;
	articleId?: string | null;
	changes?: string[] | null;
}

export type AnnouncePresenceResult = {
	announceTicketPresence: { __typename: string; presence?: LivePresence[]; code?: string; message?: string };
};
export type LeavePresenceResult = { leaveTicketPresence: { __typename: string; code?: string } };
