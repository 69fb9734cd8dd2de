import { error, type RequestEvent } from '@sveltejs/kit';

/** Ticket ids as the API hands them out: relay global ids (base64) or UUIDs. */
const TICKET_ID = /^[A-Za-z0-9+/=_-]{8,120}$/;

/**
 * The live endpoints live outside /agent so that a missing session answers 401 (an EventSource
 * cannot follow a redirect to the login page). Only agents and admins; returns the session token.
 */
export function requireAgentSession(event: Pick<RequestEvent, 'locals'>): string {
	const { sessionToken, viewer } = event.locals;
	if (!sessionToken || !viewer) error(401, { message: 'Sign in first', code: 'UNAUTHENTICATED' });
	if (viewer.kind !== 'AGENT' && viewer.kind !== 'ADMIN') error(403, { message: 'Agents only', code: 'FORBIDDEN' });
	return sessionToken;
}

export function ticketIdParam(raw: string): string {
	if (!TICKET_ID.test(raw)) error(400, { message: 'Bad ticket id', code: 'BAD_REQUEST' });
	return raw;
}
