import { CONFIRM_CHECKOUT, MY_BALANCE, type ConfirmCheckoutResult, type MyBalanceResult } from '#lib/graphql/billing.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/**
 * Stripe sends the customer back here after paying. The return URL proves nothing: the API
 * re-reads the Checkout Session from Stripe and applies it if paid (idempotent, as the webhook).
 */
export const load: PageServerLoad = async (event) => {
	const sessionId = event.url.searchParams.get('session') ?? '';
	if (!sessionId) return { outcome: 'unknown' as const, balance: null, checkout: null };
	const data = await graphqlRequest<ConfirmCheckoutResult>(event, CONFIRM_CHECKOUT, { sessionId });
	const r = data.confirmIncidentCheckout;
	// Read after the confirmation, which may just have applied the payment.
	const { myIncidents } = await graphqlRequest<MyBalanceResult>(event, MY_BALANCE);
	if (r.__typename !== 'ConfirmIncidentCheckoutSuccess' || !('checkout' in r)) {
		return { outcome: 'unknown' as const, balance: myIncidents.balance, checkout: null };
	}
	const outcome = r.checkout.granted ? ('granted' as const) : r.checkout.paid ? ('processing' as const) : ('unpaid' as const);
	return { outcome, balance: myIncidents.balance, checkout: r.checkout };
};
