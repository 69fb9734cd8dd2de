import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { LOGIN, type LoginResult, type LoginVariables } from '#lib/graphql/auth.ts';
import { ApiUnavailableError, graphqlRequest } from './api.ts';
import { LOCALE_COOKIE, setLocaleCookie, setSession, setTenantCookie } from './cookies.ts';
import { SET_MY_LOCALE } from '#lib/graphql/workspace.ts';
import { normalizeLocale } from '#lib/i18n/index.ts';
import { isTenantSlug } from './tenant.ts';
import type { MessageKey } from '#lib/i18n/index.ts';

export interface LoginFailure {
	email: string;
	error: MessageKey;
	retryAfterSeconds?: number;
	/** The password was right but the self-signed-up account is not verified yet (offer "resend"). */
	unverified?: boolean;
}

function safeNext(value: FormDataEntryValue | null, fallback: string): string {
	const next = typeof value === 'string' ? value : '';
	return next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

/** Shared by the staff sign-in (/login) and the customer portal sign-in (/portal/login). */
export async function loginAction(event: RequestEvent) {
	const form = await event.request.formData();
	const email = String(form.get('email') ?? '').trim();
	const password = String(form.get('password') ?? '');
	const tenantField = String(form.get('tenant') ?? '').trim().toLowerCase();
	const tenantSlug = event.locals.tenant ?? (isTenantSlug(tenantField) ? tenantField : null);

	if (!tenantSlug) return fail(400, { email, error: 'error.noTenant' } satisfies LoginFailure);
	if (!email || !password) return fail(400, { email, error: 'login.invalid' } satisfies LoginFailure);

	let result: LoginResult;
	try {
		result = await graphqlRequest<LoginResult, LoginVariables>(event, LOGIN, {
			input: { tenantSlug, email, password }
		}, { token: null });
	} catch (error) {
		if (error instanceof ApiUnavailableError) {
			return fail(503, { email, error: 'error.apiUnavailable' } satisfies LoginFailure);
		}
		throw error;
	}

	const payload = result.login;
	switch (payload.__typename) {
		case 'LoginSuccess': {
			if (!('token' in payload)) break;
			setSession(event.cookies, payload.token, payload.expiresAt);
			// a workspace typed into the form is remembered like a `/t/<slug>` prefix
			if (!event.locals.tenant) setTenantCookie(event.cookies, tenantSlug);
			await applyLocale(event, payload.token, payload.viewer.savedLocale ?? null);
			const home = payload.viewer.kind === 'CUSTOMER' ? '/portal' : '/agent';
			const next = safeNext(form.get('next'), home);
			// never send a customer into the agent area or the other way round
			const allowed = payload.viewer.kind === 'CUSTOMER' ? next.startsWith('/portal') : !next.startsWith('/portal');
			redirect(303, allowed ? next : home);
		}
		case 'EmailNotVerifiedError':
			return fail(403, { email, error: 'portal.login.unverified', unverified: true } satisfies LoginFailure);
		case 'TenantSuspendedError':
			return fail(403, { email, error: 'login.suspended' } satisfies LoginFailure);
		case 'RateLimitedError':
			return fail(429, {
				email,
				error: 'login.rateLimited',
				retryAfterSeconds: 'retryAfterSeconds' in payload ? payload.retryAfterSeconds : 60
			} satisfies LoginFailure);
	}
	return fail(401, { email, error: 'login.invalid' } satisfies LoginFailure);
}

/**
 * The language saved on the user wins at sign-in; a user who never chose one keeps the choice
 * made in the switcher before signing in, and it is saved on them.
 */
async function applyLocale(event: RequestEvent, token: string, saved: string | null) {
	const savedLocale = normalizeLocale(saved);
	if (savedLocale) {
		setLocaleCookie(event.cookies, savedLocale);
		return;
	}
	const chosen = normalizeLocale(event.cookies.get(LOCALE_COOKIE));
	if (chosen) await graphqlRequest(event, SET_MY_LOCALE, { input: { locale: chosen } }, { token }).catch(() => undefined);
}
