import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The start page only routes people to their area. */
export const load: PageServerLoad = ({ locals }) => {
	const kind = locals.viewer?.kind;
	if (kind === 'CUSTOMER') redirect(303, '/portal');
	if (kind === 'AGENT' || kind === 'ADMIN') redirect(303, '/agent');
	redirect(303, '/login');
};
