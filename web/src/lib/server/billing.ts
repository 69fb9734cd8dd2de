// Server helpers for billing pages.
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { INCIDENT_QUEUE_IDS, canOpenQuery, type IncidentQueuesResult } from '#lib/graphql/billing.ts';
import { graphqlRequest } from './api.ts';

type Event = Pick<RequestEvent, 'locals' | 'request' | 'getClientAddress' | 'fetch'>;

/** The queues where the signed-in customer cannot open a ticket now: they need an incident and none is left (the API's canOpenTicketIn). */
export async function blockedQueueIds(event: Event): Promise<string[]> {
	const { incidentQueueIds } = await graphqlRequest<IncidentQueuesResult>(event, INCIDENT_QUEUE_IDS);
	if (incidentQueueIds.length === 0) return [];
	const { query, variables } = canOpenQuery(incidentQueueIds);
	const can = await graphqlRequest<Record<string, boolean>>(event, query, variables);
	return incidentQueueIds.filter((_, i) => can[`q${i}`] === false);
}

/** A price typed in major units ("12", "12.5", "12,50") → cents; empty → null; anything else → NaN. */
export function centsOf(data: FormData, name: string): number | null {
	const v = data.get(name);
	const s = typeof v === 'string' ? v.trim().replace(',', '.') : '';
	if (!s) return null;
	if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return Number.NaN;
	return Math.round(Number(s) * 100);
}


/** Where billing actions may send the browser: Stripe's hosted pages only (the URLs come from the API). */
const STRIPE_ORIGINS = ['https://checkout.stripe.com', 'https://connect.stripe.com', 'https://billing.stripe.com'];

/** A 303 to a Stripe-hosted page (Checkout, Connect onboarding, customer portal). */
export function redirectToStripe(url: string): never {
	redirect(303, url, { external: STRIPE_ORIGINS });
}
