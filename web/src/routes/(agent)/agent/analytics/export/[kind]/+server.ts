import { error } from '@sveltejs/kit';
import { CSV_KINDS, type CsvKind } from '#lib/graphql/analytics.ts';
import { config } from '#lib/server/config.ts';
import { analyticsParams } from '#lib/server/analytics-range.ts';
import type { RequestHandler } from './$types';

/**
 * /agent/analytics/export/<kind>.csv?from=…&to=…&groupBy=…&interval=… — the API's CSV export with the
 * session token (the browser never sees it), streamed through as a download.
 */
export const GET: RequestHandler = async (event) => {
	if (event.locals.viewer?.kind !== 'ADMIN') error(403, 'Analytics are for administrators');
	const kind = event.params.kind.replace(/\.csv$/, '') as CsvKind;
	if (!CSV_KINDS.includes(kind)) error(404, 'Unknown export');
	const params = analyticsParams(event.url);
	if (!params.valid) error(400, 'Invalid range');
	const target = new URL(`/analytics/${kind}.csv`, config.apiUrl);
	target.search = new URLSearchParams({ from: params.from, to: params.to, groupBy: params.groupBy, interval: params.interval }).toString();
	let response: Response;
	try {
		response = await fetch(target, {
			headers: { authorization: `Bearer ${event.locals.sessionToken ?? ''}`, ...(event.locals.tenant ? { 'x-parley-tenant': event.locals.tenant } : {}) },
			signal: AbortSignal.timeout(config.apiTimeoutMs)
		});
	} catch {
		error(502, 'The API is unreachable');
	}
	if (!response.ok) error(response.status === 403 ? 403 : 502, 'The export failed');
	return new Response(response.body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': response.headers.get('content-disposition') ?? `attachment; filename="${kind}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
