import { fail, redirect } from '@sveltejs/kit';
import { AGENT_LOOKUPS, type AgentLookupsResult } from '#lib/graphql/lookups.ts';
import { CREATE_TICKET, type CreateTicketVariables, type TicketMutationResult } from '#lib/graphql/tickets.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { str, ticketResult } from '#lib/server/results.ts';
import { readPostedForm } from '#lib/server/attachments.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	lookups: await graphqlRequest<AgentLookupsResult>(event, AGENT_LOOKUPS),
	queueId: event.url.searchParams.get('queue') ?? ''
});

export const actions: Actions = {
	default: async (event) => {
		const { form, attachmentIds, failure } = await readPostedForm(event);
		const values = {
			queueId: str(form, 'queueId'),
			title: str(form, 'title'),
			body: str(form, 'body'),
			customerEmail: str(form, 'customerEmail'),
			customerName: str(form, 'customerName'),
			priorityId: str(form, 'priorityId'),
			channel: str(form, 'channel') === 'EMAIL' ? ('EMAIL' as const) : ('PHONE' as const)
		};
		if (failure) return fail(failure.status, { error: failure.error, params: failure.params, values });
		if (!values.queueId || !values.title || !values.body) {
			return fail(400, { error: 'ticket.err.validation' as const, params: { field: !values.queueId ? 'queue' : !values.title ? 'title' : 'body' }, values });
		}
		const data = await graphqlRequest<TicketMutationResult<'createTicket'>, CreateTicketVariables>(event, CREATE_TICKET, {
			input: {
				...values,
				customerEmail: values.customerEmail || null,
				customerName: values.customerName || null,
				priorityId: values.priorityId || null,
				attachmentIds
			}
		});
		const result = ticketResult(data.createTicket);
		if (!result.ok) return fail(result.failure.status, { ...result.failure.data, values });
		redirect(303, `/agent/tickets/${result.ticket.number}`);
	}
};
