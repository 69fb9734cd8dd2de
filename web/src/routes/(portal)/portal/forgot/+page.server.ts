import { forgotPasswordAction } from '#lib/server/portal-accounts.ts';
import type { Actions } from './$types';

export const actions: Actions = { default: forgotPasswordAction };
