import { fail, redirect } from '@sveltejs/kit';
import { PLAN_CHECKOUT, PLAN_PORTAL, PLAN_USAGE, type PlanCheckoutResult, type PlanPortalResult, type PlanUsageResult } from '#lib/graphql/billing.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { redirectToStripe } from '#lib/server/billing.ts';
import { adminFailure, text, type AdminFailure } from '#lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { planUsage } = await graphqlRequest<PlanUsageResult>(event, PLAN_USAGE);
	return { usage: planUsage, checkout: event.url.searchParams.get('checkout') };
};

/** Plans not sold on this installation (no Stripe, no price) get their own message. */
const failed = (form: string, r: { __typename: string; message?: string }) =>
	r.__typename === 'BillingDisabledError'
		? fail(503, { form, error: 'billing.err.plansNotSold' as const, message: r.message } satisfies AdminFailure)
		: adminFailure(form, r);

export const actions: Actions = {
	/** Subscription Checkout on the provider's Stripe account for a paid plan. */
	upgrade: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<PlanCheckoutResult>(event, PLAN_CHECKOUT, { plan: text(data, 'plan') });
		const r = res.startPlanCheckout;
		if (r.__typename === 'StartPlanCheckoutSuccess' && 'checkout' in r) redirectToStripe(r.checkout.url);
		return failed('plan', r);
	},
	/** Stripe's customer portal: payment methods, invoices, plan switch, cancellation. */
	portal: async (event) => {
		const res = await graphqlRequest<PlanPortalResult>(event, PLAN_PORTAL);
		const r = res.planPortalLink;
		if (r.__typename === 'PlanPortalLinkSuccess' && 'portal' in r) redirectToStripe(r.portal.url);
		return failed('plan', r);
	}
};
