// Server side of the account pages (portal sign-up/verify/resend/reset and the staff reset pages):
// the API calls and the mapping of their error unions to messages the pages translate.
import { fail, type RequestEvent } from '@sveltejs/kit';
import {
	REQUEST_PASSWORD_RESET,
	RESEND_VERIFICATION,
	RESET_PASSWORD,
	type RequestPasswordResetResult,
	type ResendVerificationResult,
	type ResetPasswordResult
} from '#lib/graphql/portal-accounts.ts';
import type { MessageKey, Params } from '#lib/i18n/index.ts';
import { ApiUnavailableError, graphqlRequest } from './api.ts';
import { str } from './results.ts';

export interface AccountFailure {
	error: MessageKey;
	params?: Params;
	email?: string;
}

/** A failed account mutation as a `fail()` with a message key. */
export function accountFailure(payload: { __typename: string; field?: string | null; retryAfterSeconds?: number; reason?: string }, email?: string) {
	switch (payload.__typename) {
		case 'RateLimitedError':
			return fail(429, { error: 'portal.err.rateLimited', params: { seconds: payload.retryAfterSeconds ?? 60 }, email } satisfies AccountFailure);
		case 'ValidationError':
			return fail(400, { error: payload.field === 'password' ? 'portal.err.password' : 'portal.err.input', email } satisfies AccountFailure);
		case 'InvalidTokenError': {
			const reason = payload.reason === 'EXPIRED' || payload.reason === 'USED' ? payload.reason : 'INVALID';
			return fail(400, { error: `portal.token.${reason}`, email } satisfies AccountFailure);
		}
		case 'ForbiddenError':
			return fail(403, { error: 'portal.signup.off', email } satisfies AccountFailure);
		case 'TenantSuspendedError':
			return fail(403, { error: 'login.suspended', email } satisfies AccountFailure);
	}
	return fail(500, { error: 'error.generic', email } satisfies AccountFailure);
}

/** Runs an API call of an anonymous account page; the API being down is a message, not a crash. */
export async function anonymousRequest<T>(event: RequestEvent, query: string, variables: object) {
	try {
		return { data: await graphqlRequest<T>(event, query, variables, { token: null }) };
	} catch (error) {
		if (error instanceof ApiUnavailableError) return { failure: fail(503, { error: 'error.apiUnavailable' } satisfies AccountFailure) };
		throw error;
	}
}

/** "Forgot password?" (portal and staff): the same answer for every address. */
export async function forgotPasswordAction(event: RequestEvent) {
	const form = await event.request.formData();
	const email = str(form, 'email');
	const tenantSlug = event.locals.tenant;
	if (!tenantSlug) return fail(400, { error: 'error.noTenant', email } satisfies AccountFailure);
	if (!email) return fail(400, { error: 'portal.err.input', email } satisfies AccountFailure);
	const res = await anonymousRequest<RequestPasswordResetResult>(event, REQUEST_PASSWORD_RESET, { input: { tenantSlug, email } });
	if (res.failure) return res.failure;
	const payload = res.data.requestPasswordReset;
	if (payload.__typename !== 'AccountMailRequested') return accountFailure(payload, email);
	return { sent: true as const, email };
}

/** Resending the verification link: the same answer for every address. */
export async function resendVerificationAction(event: RequestEvent) {
	const form = await event.request.formData();
	const email = str(form, 'email');
	const tenantSlug = event.locals.tenant;
	if (!tenantSlug) return fail(400, { error: 'error.noTenant', email } satisfies AccountFailure);
	if (!email) return fail(400, { error: 'portal.err.input', email } satisfies AccountFailure);
	const res = await anonymousRequest<ResendVerificationResult>(event, RESEND_VERIFICATION, { input: { tenantSlug, email } });
	if (res.failure) return res.failure;
	const payload = res.data.resendVerification;
	if (payload.__typename !== 'AccountMailRequested') return accountFailure(payload, email);
	return { sent: true as const, email };
}

/** Setting a new password with the link's token (the token travels in a hidden field, never in logs of our own). */
export async function resetPasswordAction(event: RequestEvent) {
	const form = await event.request.formData();
	const token = str(form, 'token');
	const password = String(form.get('password') ?? '');
	if (!token) return fail(400, { error: 'portal.token.missing' } satisfies AccountFailure);
	if (password !== String(form.get('confirm') ?? '')) return fail(400, { error: 'portal.reset.mismatch' } satisfies AccountFailure);
	const res = await anonymousRequest<ResetPasswordResult>(event, RESET_PASSWORD, { input: { token, password } });
	if (res.failure) return res.failure;
	const payload = res.data.resetPassword;
	if (payload.__typename !== 'ResetPasswordSuccess' || !('kind' in payload)) return accountFailure(payload);
	return { done: true as const, kind: payload.kind };
}
