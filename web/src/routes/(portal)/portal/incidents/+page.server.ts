import { fail, redirect } from '@sveltejs/kit';
import { BUY_PACK, MY_INCIDENTS, type BuyPackResult, type MyIncidentsResult } from '#lib/graphql/billing.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { redirectToStripe } from '#lib/server/billing.ts';
import { str } from '#lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<MyIncidentsResult>(event, MY_INCIDENTS);
	return { statement: data.myIncidents, packs: data.incidentPacks, queue: event.url.searchParams.get('queue') };
};

export const actions: Actions = {
	/** Starts Stripe Checkout for a pack and sends the browser there; the incidents arrive once Stripe confirms the payment. */
	buy: async (event) => {
		const form = await event.request.formData();
		const packId = str(form, 'packId');
		if (!packId) return fail(400, { error: 'billing.err.noPack' as const });
		const res = await graphqlRequest<BuyPackResult>(event, BUY_PACK, { packId });
		const r = res.buyIncidentPack;
		if (r.__typename === 'BuyIncidentPackSuccess' && 'checkout' in r) redirectToStripe(r.checkout.url);
		if (r.__typename === 'BillingDisabledError') return fail(503, { error: 'billing.err.paymentsDisabled' as const });
		if (r.__typename === 'NotFoundError') return fail(404, { error: 'billing.err.packGone' as const });
		return fail(500, { error: 'error.generic' as const });
	}
};
