import { VERIFY_EMAIL, type VerifyEmailResult } from '#lib/graphql/portal-accounts.ts';
import { accountFailure, anonymousRequest } from '#lib/server/portal-accounts.ts';
import { str } from '#lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

// Opening the link only shows a button: the token is spent by the POST, so mail scanners and
// link previews that fetch the URL do not use it up.
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') });

export const actions: Actions = {
	default: async (event) => {
		const token = str(await event.request.formData(), 'token');
		const res = await anonymousRequest<VerifyEmailResult>(event, VERIFY_EMAIL, { token });
		if (res.failure) return res.failure;
		const payload = res.data.verifyEmail;
		if (payload.__typename !== 'VerifyEmailSuccess' || !('email' in payload)) return accountFailure(payload);
		return { verified: true as const, email: payload.email };
	}
};
