import { error, json } from '@sveltejs/kit';
import { ANNOUNCE_PRESENCE, LEAVE_PRESENCE, type AnnouncePresenceResult, type LeavePresenceResult } from '#lib/graphql/live.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { requireAgentSession, ticketIdParam } from '#lib/server/live/live-auth.ts';
import type { RequestHandler } from './$types';

const ACTIVITIES = ['VIEWING', 'REPLYING', 'LEFT'] as const;
const STATUS: Record<string, number> = { NOT_FOUND: 404, FORBIDDEN: 403, RATE_LIMITED: 429 };

/** The presence heartbeat of an open ticket page: `{ activity: VIEWING | REPLYING | LEFT }`. */
export const POST: RequestHandler = async (event) => {
	requireAgentSession(event);
	const ticketId = ticketIdParam(event.params.id);
	// JSON only: a cross-site page cannot send it without a CORS preflight (form types are refused in hooks).
	if (!event.request.headers.get('content-type')?.startsWith('application/json')) error(415, { message: 'JSON expected', code: 'BAD_REQUEST' });
	const body = (await event.request.json().catch(() => null)) as { activity?: string } | null;
	const activity = ACTIVITIES.find((a) => a === body?.activity);
	if (!activity) error(400, { message: 'activity must be VIEWING, REPLYING or LEFT', code: 'BAD_REQUEST' });

	if (activity === 'LEFT') {
		const data = await graphqlRequest<LeavePresenceResult>(event, LEAVE_PRESENCE, { ticketId });
		const r = data.leaveTicketPresence;
		return json({ ok: !r.code, code: r.code ?? null }, { status: r.code ? (STATUS[r.code] ?? 400) : 200 });
	}
	const data = await graphqlRequest<AnnouncePresenceResult>(event, ANNOUNCE_PRESENCE, { input: { ticketId, activity } });
	const r = data.announceTicketPresence;
	if (r.__typename !== 'AnnounceTicketPresenceSuccess') return json({ ok: false, code: r.code ?? 'ERROR' }, { status: STATUS[r.code ?? ''] ?? 400 });
	return json({ ok: true, presence: r.presence ?? [] });
};
