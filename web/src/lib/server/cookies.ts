import type { Cookies } from '@sveltejs/kit';
import { config } from './config.ts';

export const SESSION_COOKIE = 'parley_session';
export const PROVIDER_COOKIE = 'parley_provider';
export const TENANT_COOKIE = 'parley_tenant';
export const LOCALE_COOKIE = 'parley_locale';

const base = { path: '/', httpOnly: true, sameSite: 'lax' as const };

export function setSession(cookies: Cookies, token: string, expiresAt?: string | null) {
	const expires = expiresAt ? new Date(expiresAt) : undefined;
	cookies.set(SESSION_COOKIE, token, {
		...base,
		secure: config.secureCookies,
		...(expires && !Number.isNaN(expires.getTime()) ? { expires } : { maxAge: 60 * 60 * 12 })
	});
}

export function clearSession(cookies: Cookies) {
	cookies.delete(SESSION_COOKIE, { ...base, secure: config.secureCookies });
}

export function setProviderToken(cookies: Cookies, token: string) {
	cookies.set(PROVIDER_COOKIE, token, { ...base, sameSite: 'strict', secure: config.secureCookies, maxAge: 60 * 60 * 8 });
}

export function clearProviderToken(cookies: Cookies) {
	cookies.delete(PROVIDER_COOKIE, { ...base, sameSite: 'strict', secure: config.secureCookies });
}

export function setTenantCookie(cookies: Cookies, slug: string) {
	cookies.set(TENANT_COOKIE, slug, { ...base, secure: config.secureCookies, maxAge: 60 * 60 * 24 * 30 });
}

export function setLocaleCookie(cookies: Cookies, locale: string) {
	cookies.set(LOCALE_COOKIE, locale, { ...base, secure: config.secureCookies, maxAge: 60 * 60 * 24 * 365 });
}
