import { fail, redirect } from '@sveltejs/kit';
import { PORTAL_QUEUES, type PortalQueuesResult } from '#lib/graphql/portal.ts';
import { blockedQueueIds } from '#lib/server/billing.ts';
import { CREATE_TICKET, type CreateTicketVariables, type TicketMutationResult } from '#lib/graphql/tickets.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { str, ticketResult } from '#lib/server/results.ts';
import { readPostedForm } from '#lib/server/attachments.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { portalQueues } = await graphqlRequest<PortalQueuesResult>(event, PORTAL_QUEUES);
	// billing: queues that need an incident I do not have (buy a pack first)
	return { queues: portalQueues, blockedQueueIds: await blockedQueueIds(event) };
};

export const actions: Actions = {
	default: async (event) => {
		const { form, attachmentIds, failure } = await readPostedForm(event);
		const values = { queueId: str(form, 'queueId'), title: str(form, 'title'), body: str(form, 'body') };
		if (failure) return fail(failure.status, { error: failure.error, params: failure.params, values });
		if (!values.queueId || !values.title || !values.body) {
			return fail(400, { error: 'ticket.err.validation' as const, params: { field: !values.queueId ? 'queue' : !values.title ? 'title' : 'body' }, values });
		}
		const data = await graphqlRequest<TicketMutationResult<'createTicket'>, CreateTicketVariables>(event, CREATE_TICKET, {
			input: { ...values, channel: 'PORTAL', attachmentIds }
		});
		const result = ticketResult(data.createTicket);
		if (!result.ok) return fail(result.failure.status, { ...result.failure.data, values });
		redirect(303, `/portal/tickets/${result.ticket.number}?created=1`);
	}
};
