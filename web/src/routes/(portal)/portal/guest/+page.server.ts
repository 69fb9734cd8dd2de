import { fail, redirect } from '@sveltejs/kit';
import {
	GUEST_CHALLENGE,
	PORTAL_INFO,
	SUBMIT_GUEST_TICKET,
	type GuestChallengeResult,
	type PortalInfoResult,
	type SubmitGuestTicketResult
} from '#lib/graphql/portal-accounts.ts';
import type { MessageKey, Params } from '#lib/i18n/index.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { anonymousRequest } from '#lib/server/portal-accounts.ts';
import { str } from '#lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

// The guest form: a fresh proof-of-work challenge with every render (the API rate-limits them
// per IP); the browser solves it (lib/proof-of-work.ts) before the form can be sent. Without
// JavaScript the form is shown with a notice, and a submission is refused as PROOF_MISSING.
export const load: PageServerLoad = async (event) => {
	if (event.locals.viewer?.kind === 'CUSTOMER') redirect(303, '/portal/new');
	const slug = event.locals.tenant;
	const info = slug ? (await graphqlRequest<PortalInfoResult>(event, PORTAL_INFO, { slug }, { token: null })).portalInfo : null;
	if (!slug || !info?.allowGuestTickets) return { enabled: false as const, queues: [], challenge: null, retryAfterSeconds: null };
	const res = await graphqlRequest<GuestChallengeResult>(event, GUEST_CHALLENGE, { slug }, { token: null });
	const c = res.guestTicketChallenge;
	const challenge = c.__typename === 'GuestTicketChallenge' && 'challenge' in c ? { challenge: c.challenge, difficulty: c.difficulty } : null;
	const retryAfterSeconds = c.__typename === 'RateLimitedError' && 'retryAfterSeconds' in c ? (c.retryAfterSeconds ?? 600) : null;
	return { enabled: true as const, queues: info.guestQueues, challenge, retryAfterSeconds };
};

type Values = { name: string; email: string; queueId: string; subject: string; message: string };
type GuestFailure = { error: MessageKey; params?: Params; values: Values };

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values: Values = { name: str(form, 'name'), email: str(form, 'email'), queueId: str(form, 'queueId'), subject: str(form, 'subject'), message: str(form, 'message') };
		const tenantSlug = event.locals.tenant;
		if (!tenantSlug) return fail(400, { error: 'error.noTenant', values } satisfies GuestFailure);
		if (Object.values(values).some((v) => !v)) return fail(400, { error: 'portal.err.input', values } satisfies GuestFailure);
		const res = await anonymousRequest<SubmitGuestTicketResult>(event, SUBMIT_GUEST_TICKET, {
			input: {
				tenantSlug, ...values, sourceUrl: event.url.origin + event.url.pathname, locale: event.locals.locale,
				honeypot: str(form, 'website'), challenge: str(form, 'challenge') || null, solution: str(form, 'solution') || null
			}
		});
		if (res.failure) return res.failure;
		const p = res.data.submitGuestTicket;
		switch (p.__typename) {
			case 'SubmitGuestTicketSuccess':
				return 'number' in p ? { sent: true as const, number: p.number, email: p.email } : fail(500, { error: 'error.generic', values } satisfies GuestFailure);
			case 'SpamCheckFailedError': {
				const reason = 'reason' in p ? p.reason : '';
				const error: MessageKey = reason === 'PROOF_MISSING' ? 'portal.guest.noscript' : reason === 'PROOF_EXPIRED' ? 'portal.guest.expired' : 'portal.guest.spam';
				return fail(400, { error, values } satisfies GuestFailure);
			}
			case 'RateLimitedError':
				return fail(429, { error: 'portal.err.rateLimited', params: { seconds: 'retryAfterSeconds' in p ? (p.retryAfterSeconds ?? 60) : 60 }, values } satisfies GuestFailure);
			case 'ForbiddenError':
				return fail(403, { error: 'portal.guest.off', values } satisfies GuestFailure);
			case 'NotFoundError':
				return fail(404, { error: 'ticket.err.notFound', values } satisfies GuestFailure);
			case 'NoIncidentLeftError':
				return fail(402, { error: 'ticket.err.noIncident', values } satisfies GuestFailure);
			case 'ValidationError':
				return fail(400, { error: 'portal.err.input', values } satisfies GuestFailure);
		}
		return fail(500, { error: 'error.generic', values } satisfies GuestFailure);
	}
};
