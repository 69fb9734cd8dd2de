import { redirect } from '@sveltejs/kit';
import { loginAction } from '#lib/server/login.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.viewer) redirect(303, locals.viewer.kind === 'CUSTOMER' ? '/portal' : '/agent');
	return { next: url.searchParams.get('next') ?? '/portal' };
};

export const actions: Actions = { default: loginAction };
