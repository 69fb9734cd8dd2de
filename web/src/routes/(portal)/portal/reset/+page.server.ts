import { resetPasswordAction } from '#lib/server/portal-accounts.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') });

export const actions: Actions = { default: resetPasswordAction };
