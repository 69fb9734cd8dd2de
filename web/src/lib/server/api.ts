import type { RequestEvent } from '@sveltejs/kit';
import { config } from './config.ts';

/** The API could not be reached or answered with something that is not GraphQL. */
export class ApiUnavailableError extends Error {
	readonly code = 'API_UNAVAILABLE';
}

/** The API answered with top-level GraphQL errors (bad query, unauthenticated, ...). */
export class GraphQLRequestError extends Error {
	constructor(
		message: string,
		readonly errors: { message: string; extensions?: { code?: string } }[]
	) {
		super(message);
	}
	get code(): string {
		return this.errors[0]?.extensions?.code ?? 'GRAPHQL_ERROR';
	}
}

export interface RequestOptions {
	/** Override the bearer token (provider pages send the provider token, not the session). */
	token?: string | null;
}

type MinimalEvent = Pick<RequestEvent, 'locals' | 'request' | 'getClientAddress' | 'fetch'>;

/**
 * The only way the web app talks to @parley/api. Runs on the server only: it forwards the
 * session token from the httpOnly cookie, the tenant, and the client's IP and user agent
 * (the API records them for "who viewed this ticket").
 */
export async function graphqlRequest<TData, TVariables extends object = object>(
	event: MinimalEvent,
	query: string,
	variables?: TVariables,
	options: RequestOptions = {}
): Promise<TData> {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		accept: 'application/graphql-response+json, application/json',
		'x-parley-csrf': '1'
	};
	const token = options.token !== undefined ? options.token : event.locals.sessionToken;
	if (token) headers.authorization = `Bearer ${token}`;
	if (event.locals.tenant) headers['x-parley-tenant'] = event.locals.tenant;

	let clientAddress = '';
	try {
		clientAddress = event.getClientAddress();
	} catch {
		// not available in every context (e.g. during prerendering)
	}
	const forwarded = event.request.headers.get('x-forwarded-for');
	headers['x-forwarded-for'] = [forwarded, clientAddress].filter(Boolean).join(', ');
	const ua = event.request.headers.get('user-agent');
	if (ua) headers['user-agent'] = ua;
	const lang = event.request.headers.get('accept-language');
	if (lang) headers['accept-language'] = lang;

	let response: Response;
	try {
		// global fetch, not event.fetch: the API is another origin and must not receive our cookies
		response = await fetch(config.apiUrl, {
			method: 'POST',
			headers,
			body: JSON.stringify({ query, variables: variables ?? {} }),
			signal: AbortSignal.timeout(config.apiTimeoutMs)
		});
	} catch (cause) {
		throw new ApiUnavailableError(`API unreachable at ${config.apiUrl}`, { cause });
	}

	let body: { data?: TData | null; errors?: { message: string; extensions?: { code?: string } }[] };
	try {
		body = await response.json();
	} catch (cause) {
		throw new ApiUnavailableError(`API answered ${response.status} without JSON`, { cause });
	}
	if (body.errors?.length) {
		throw new GraphQLRequestError(body.errors.map((e) => e.message).join('; '), body.errors);
	}
	if (!body.data) throw new ApiUnavailableError(`API answered ${response.status} without data`);
	return body.data;
}

/** True when the error means "your session is not valid": the caller should sign the user out. */
export function isUnauthenticated(error: unknown): boolean {
	return (
		error instanceof GraphQLRequestError &&
		error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED' || e.extensions?.code === 'UNAUTHORIZED')
	);
}
