import { fail } from '@sveltejs/kit';
import type { RatePayload } from '#lib/graphql/ratings.ts';
import type { ActionFailure } from './results.ts';

/** The score a form posted (`score`), when it is 1..5; else null. */
export function postedScore(form: FormData): number | null {
	const raw = form.get('score');
	const n = typeof raw === 'string' ? Number(raw) : NaN;
	return Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}

/**
 * A rate mutation's union result: the rating, or a `fail()` with a message key. Link errors
 * (rateByToken): used → CONFLICT, expired → VALIDATION on `token`, unknown → NOT_FOUND.
 */
export function rateResult(payload: RatePayload) {
	switch (payload.__typename) {
		case 'RateByTokenSuccess':
		case 'RateReplySuccess':
		case 'RateTicketSuccess':
			return { ok: true as const, rating: payload.result.rating, reopened: payload.result.reopened };
		case 'ConflictError':
			return { ok: false as const, failure: fail(409, { error: 'rate.err.used' } satisfies ActionFailure) };
		case 'NotFoundError':
			return { ok: false as const, failure: fail(404, { error: 'rate.err.invalid' } satisfies ActionFailure) };
		case 'ForbiddenError':
			return { ok: false as const, failure: fail(403, { error: 'ticket.err.forbidden' } satisfies ActionFailure) };
		case 'ValidationError':
			if (payload.field === 'token') return { ok: false as const, failure: fail(410, { error: 'rate.err.expired' } satisfies ActionFailure) };
			if (payload.field === 'score') return { ok: false as const, failure: fail(400, { error: 'rate.err.score' } satisfies ActionFailure) };
			return { ok: false as const, failure: fail(400, { error: 'ticket.err.validation', params: { field: payload.field ?? '' } } satisfies ActionFailure) };
	}
	return { ok: false as const, failure: fail(500, { error: 'error.generic' } satisfies ActionFailure) };
}
