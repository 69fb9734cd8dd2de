// Server-only configuration, read once from the environment and validated at boot.
// Kit 3 drops the $env/* modules by default; process.env is what adapter-node gives us.

function readUrl(name: string, fallback: string): string {
	const value = process.env[name] ?? fallback;
	try {
		new URL(value);
	} catch {
		throw new Error(`Invalid configuration: ${name} must be an absolute URL (got "${value}")`);
	}
	return value;
}

export const config = {
	/** GraphQL endpoint of @parley/api as seen from this server. */
	apiUrl: readUrl(process.env.PARLEY_API_URL ? 'PARLEY_API_URL' : 'API_URL', 'http://127.0.0.1:4000/graphql'),
	/** Tenant used when neither the host nor a `/t/<slug>` prefix names one (demo: acme). */
	defaultTenant: process.env.PARLEY_DEFAULT_TENANT?.trim() || null,
	/** Base domain for tenant sub-domains, e.g. `parley.example` or `localhost`. */
	baseDomain: process.env.PARLEY_BASE_DOMAIN?.trim() || null,
	/** Mark cookies `Secure` (set to 0 only for plain-http local development). */
	secureCookies: process.env.PARLEY_SECURE_COOKIES
		? process.env.PARLEY_SECURE_COOKIES !== '0'
		: process.env.NODE_ENV === 'production',
	/** Request timeout towards the API in milliseconds. */
	apiTimeoutMs: Number(process.env.PARLEY_API_TIMEOUT_MS ?? 10_000)
} as const;
