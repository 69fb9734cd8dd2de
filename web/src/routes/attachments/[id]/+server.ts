import { error } from '@sveltejs/kit';
import { apiBase } from '#lib/server/attachments.ts';
import type { RequestHandler } from './$types';

/** Headers of the API's answer passed on to the browser (the API decides disposition and policy). */
const PASSED = ['content-type', 'content-length', 'content-disposition', 'x-content-type-options', 'content-security-policy', 'cross-origin-resource-policy', 'referrer-policy', 'cache-control'];

/**
 * Downloads an attachment for the signed-in agent or customer: the API checks the permission
 * (GET /attachments/:id with the session token as Bearer) and the bytes are streamed through.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	if (!locals.sessionToken) error(401, { message: 'Sign in first', code: 'UNAUTHENTICATED' });
	if (!/^[0-9a-f-]{36}$/i.test(params.id)) error(404, { message: 'Not found', code: 'NOT_FOUND' });
	let res: Response;
	try {
		res = await fetch(new URL(`/attachments/${params.id}`, apiBase()), { headers: { authorization: `Bearer ${locals.sessionToken}` } });
	} catch {
		error(502, { message: 'The attachment could not be loaded', code: 'API_UNAVAILABLE' });
	}
	if (!res.ok || !res.body) {
		await res.body?.cancel();
		error(res.status === 401 ? 401 : 404, { message: 'Not found', code: res.status === 401 ? 'UNAUTHENTICATED' : 'NOT_FOUND' });
	}
	const headers = new Headers();
	for (const name of PASSED) {
		const value = res.headers.get(name);
		if (value) headers.set(name, value);
	}
	return new Response(res.body, { status: 200, headers });
};
