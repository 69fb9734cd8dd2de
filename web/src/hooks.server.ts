import { redirect } from '@sveltejs/kit';
import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { ME, type MeResult } from '#lib/graphql/auth.ts';
import { ApiUnavailableError, GraphQLRequestError, graphqlRequest, isUnauthenticated } from '#lib/server/api.ts';
import {
	LOCALE_COOKIE,
	PROVIDER_COOKIE,
	SESSION_COOKIE,
	TENANT_COOKIE,
	clearSession,
	setTenantCookie
} from '#lib/server/cookies.ts';
import { config } from '#lib/server/config.ts';
import { isTenantSlug, tenantFromHost, tenantFromPath } from '#lib/server/tenant.ts';
import { DEFAULT_LOCALE, fromAcceptLanguage, normalizeLocale } from '#lib/i18n/index.ts';

/** Portal pages for visitors who are not signed in (sign-in, account links, the guest form). */
const PUBLIC_PORTAL = ['/portal/login', '/portal/signup', '/portal/verify', '/portal/resend', '/portal/forgot', '/portal/reset', '/portal/guest'];

/** Which viewer kinds may open which area; checked before any load function runs. */
function guard(
	pathname: string,
	kind: string | undefined,
	hasProviderToken: boolean
): 'ok' | 'login' | 'portal-login' | 'provider-login' | 'forbidden' {
	const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
	if (under('/provider') && !under('/provider/login')) return hasProviderToken ? 'ok' : 'provider-login';
	if (under('/agent')) {
		if (!kind) return 'login';
		return kind === 'AGENT' || kind === 'ADMIN' ? 'ok' : 'forbidden';
	}
	if (under('/admin')) {
		if (!kind) return 'login';
		return kind === 'ADMIN' ? 'ok' : 'forbidden';
	}
	if (under('/portal') && !PUBLIC_PORTAL.some(under)) {
		if (!kind) return 'portal-login';
		return kind === 'CUSTOMER' ? 'ok' : 'forbidden';
	}
	return 'ok';
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Cross-site form posts are refused: the Origin's host must be the host we were asked for. */
function isCrossSiteForm(request: Request): boolean {
	if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
	const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? '';
	if (type && !FORM_TYPES.includes(type)) return false;
	const origin = request.headers.get('origin');
	if (!origin) return true;
	try {
		return new URL(origin).host !== request.headers.get('host');
	} catch {
		return true;
	}
}

export const handle: Handle = async ({ event, resolve }) => {
	const { cookies, url, request } = event;

	if (isCrossSiteForm(request)) {
		return new Response('Cross-site form submissions are forbidden', { status: 403 });
	}

	// 1. Tenant: host, then a `/t/<slug>/...` prefix (remembered in a cookie), then the default.
	const prefixed = tenantFromPath(url.pathname);
	if (prefixed) {
		setTenantCookie(cookies, prefixed.slug);
		redirect(303, prefixed.rest + url.search);
	}
	const cookieTenant = cookies.get(TENANT_COOKIE);
	event.locals.tenant =
		tenantFromHost(request.headers.get('host')) ??
		(isTenantSlug(cookieTenant) ? cookieTenant : null) ??
		config.defaultTenant;

	// 2. Session → viewer (only when there is a cookie: anonymous pages cost no API call).
	event.locals.sessionToken = cookies.get(SESSION_COOKIE) ?? null;
	event.locals.providerToken = cookies.get(PROVIDER_COOKIE) ?? null;
	event.locals.viewer = null;
	if (event.locals.sessionToken && !url.pathname.startsWith('/provider')) {
		try {
			const data = await graphqlRequest<MeResult>(event, ME);
			event.locals.viewer = data.me;
			if (!data.me) clearSession(cookies);
		} catch (error) {
			// A suspended help desk (provider console): sign out; the login form then says why.
			if (isUnauthenticated(error) || (error instanceof GraphQLRequestError && error.code === 'TENANT_SUSPENDED')) {
				clearSession(cookies);
				event.locals.sessionToken = null;
			} else if (!(error instanceof ApiUnavailableError)) {
				throw error;
			}
			// API down: continue anonymous; pages that need data show the "unavailable" error.
		}
	}

	// 3. Locale: an explicit choice in the switcher (cookie) wins, then the viewer's own setting,
	//    then Accept-Language. (The switcher also saves the choice on the user; sign-in restores it.)
	event.locals.locale =
		normalizeLocale(cookies.get(LOCALE_COOKIE)) ??
		normalizeLocale(event.locals.viewer?.locale) ??
		fromAcceptLanguage(request.headers.get('accept-language')) ??
		DEFAULT_LOCALE;

	// 4. Route guards by viewer kind.
	const verdict = guard(url.pathname, event.locals.viewer?.kind, !!event.locals.providerToken);
	if (verdict === 'provider-login') redirect(303, '/provider/login');
	if (verdict === 'login' || verdict === 'portal-login') {
		const target = verdict === 'login' ? '/login' : '/portal/login';
		redirect(303, `${target}?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	if (verdict === 'forbidden') {
		const home = event.locals.viewer?.kind === 'CUSTOMER' ? '/portal' : '/agent';
		redirect(303, home);
	}

	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
};

export const handleError: HandleServerError = (input) => {
	if (input.kind === 'app') return input.error;
	if (input.kind === 'framework') {
		return { message: input.error.message, code: input.error.status === 404 ? 'NOT_FOUND' : 'HTTP_ERROR' };
	}
	if (input.kind === 'unknown' && input.error instanceof ApiUnavailableError) {
		return { message: 'API unavailable', code: 'API_UNAVAILABLE' };
	}
	console.error(input.error);
	return { message: 'Internal error', code: 'INTERNAL' };
};
