import { redirect } from '@sveltejs/kit';
import { PORTAL_SETTINGS, UPDATE_PORTAL_SETTINGS, type PortalSettingsResult, type UpdatePortalSettingsResult } from '#lib/graphql/portal-accounts.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, checked } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	...(await graphqlRequest<PortalSettingsResult>(event, PORTAL_SETTINGS)),
	guestUrl: `${event.url.origin}/portal/guest`
});

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<UpdatePortalSettingsResult>(event, UPDATE_PORTAL_SETTINGS, {
			input: { allowSignUp: checked(data, 'allowSignUp'), allowGuestTickets: checked(data, 'allowGuestTickets') }
		});
		const failure = adminFailure('portal', res.updatePortalSettings);
		if (failure) return failure;
		redirect(303, '/admin/portal?saved=1');
	}
};
