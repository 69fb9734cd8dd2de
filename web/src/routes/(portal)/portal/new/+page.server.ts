import { fail, redirect } from '@sveltejs/kit';
import { PORTAL_QUEUES, type PortalQueuesResult } from '#lib/graphql/portal.ts';
import { CREATE_TICKET, type CreateTicketVariables, type TicketMutationResult } from '#lib/graphql/tickets.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { str, ticketResult } from '#lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { portalQueues } = await graphqlRequest<PortalQueuesResult>(event, PORTAL_QUEUES);
	return { queues: portalQueues };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = { queueId: str(form, 'queueId'), title: str(form, 'title'), body: str(form, 'body') };
		if (!values.queueId || !values.title || !values.body) {
			return fail(400, { error: 'ticket.err.validation' as const, params: { field: !values.queueId ? 'queue' : !values.title ? 'title' : 'body' }, values });
		}
		const data = await graphqlRequest<TicketMutationResult<'createTicket'>, CreateTicketVariables>(event, CREATE_TICKET, {
			input: { ...values, channel: 'PORTAL' }
		});
		const result = ticketResult(data.createTicket);
		if (!result.ok) return result.failure;
		redirect(303, `/portal/tickets/${result.ticket.number}?created=1`);
	}
};
