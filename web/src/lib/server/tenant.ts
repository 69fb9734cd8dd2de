import { config } from './config.ts';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED = new Set(['www', 'app', 'api', 'admin', 'provider', 'static', 'mail']);

export function isTenantSlug(value: string | null | undefined): value is string {
	return !!value && SLUG.test(value) && !RESERVED.has(value);
}

/**
 * `acme.localhost:3000` → `acme`; `acme.parley.example` → `acme` when PARLEY_BASE_DOMAIN is
 * `parley.example` (without a base domain, any host with at least one extra label before a
 * known base such as localhost counts). Bare hosts and IP addresses name no tenant.
 */
export function tenantFromHost(host: string | null): string | null {
	if (!host) return null;
	const hostname = host.replace(/:\d+$/, '').toLowerCase();
	if (/^[\d.]+$/.test(hostname) || hostname.startsWith('[')) return null;
	const base = config.baseDomain?.toLowerCase();
	if (base) {
		if (!hostname.endsWith(`.${base}`)) return null;
		const sub = hostname.slice(0, -(base.length + 1));
		return isTenantSlug(sub) ? sub : null;
	}
	const labels = hostname.split('.');
	if (labels.at(-1) === 'localhost' && labels.length === 2) return isTenantSlug(labels[0]) ? labels[0] : null;
	if (labels.length >= 3) return isTenantSlug(labels[0]) ? labels[0] : null;
	return null;
}

/** `/t/acme/agent/tickets` → `{ slug: 'acme', rest: '/agent/tickets' }`. */
export function tenantFromPath(pathname: string): { slug: string; rest: string } | null {
	const match = /^\/t\/([^/]+)(\/.*)?$/.exec(pathname);
	if (!match || !isTenantSlug(match[1])) return null;
	return { slug: match[1], rest: match[2] ?? '/' };
}
