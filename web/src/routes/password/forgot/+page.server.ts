import { forgotPasswordAction } from '#lib/server/portal-accounts.ts';
import type { Actions } from './$types';

// Staff "Forgot password?" (the API decides by address: an agent gets a link to /password/reset).
export const actions: Actions = { default: forgotPasswordAction };
