import { resendVerificationAction } from '#lib/server/portal-accounts.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ email: url.searchParams.get('email') ?? '' });

export const actions: Actions = { default: resendVerificationAction };
