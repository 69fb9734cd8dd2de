import { error, type RequestEvent } from '@sveltejs/kit';
import { relaySubscriptions, type RelayedSubscription } from './sse-relay.ts';
import { acquireStream } from './stream-quota.ts';

/** An SSE relay response for this request's session, within the per-session stream quota (429 beyond). */
export function liveResponse(event: Pick<RequestEvent, 'request'>, token: string, subscriptions: RelayedSubscription[]): Response {
	const release = acquireStream(token);
	if (!release) error(429, { message: 'Too many open live streams for this session', code: 'RATE_LIMITED' });
	return relaySubscriptions(subscriptions, { token, signal: event.request.signal, onEnd: release });
}
