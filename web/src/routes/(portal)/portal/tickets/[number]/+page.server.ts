import { error, fail } from '@sveltejs/kit';
import { nodes } from '#lib/graphql/common.ts';
import { ADD_ARTICLE, CLOSE_TICKET, PORTAL_TICKET, RECORD_TICKET_VIEW, type AddArticleVariables, type TicketMutationResult, type TicketResult } from '#lib/graphql/tickets.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { str, ticketResult } from '#lib/server/results.ts';
import { htmlToText } from '#lib/server/text.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { ticket } = await graphqlRequest<TicketResult>(event, PORTAL_TICKET, { number: event.params.number });
	if (!ticket) error(404, { message: 'Not found', code: 'NOT_FOUND' });
	if (event.request.method === 'GET') {
		await graphqlRequest(event, RECORD_TICKET_VIEW, { input: { ticketId: ticket.id } }).catch(() => undefined);
	}
	// The API already leaves internal notes out for customers; filter again so a slip never shows.
	const articles = nodes(ticket.articles)
		.filter((a) => a.visibleToCustomer && a.channel !== 'NOTE')
		.map((a) => ({ ...a, timeMinutes: 0, bodyText: a.bodyText ?? (a.bodyHtml ? htmlToText(a.bodyHtml) : '') }));
	return {
		ticket: { id: ticket.id, number: ticket.number, title: ticket.title, state: ticket.state, queue: ticket.queue, createdAt: ticket.createdAt },
		articles,
		created: event.url.searchParams.has('created')
	};
};

export const actions: Actions = {
	/** Customers may close their own ticket. */
	close: async (event) => {
		const form = await event.request.formData();
		const data = await graphqlRequest<TicketMutationResult<'closeTicket'>>(event, CLOSE_TICKET, { input: { ticketId: str(form, 'ticketId') } });
		const result = ticketResult(data.closeTicket);
		if (!result.ok) return result.failure;
		return { success: 'common.saved' as const };
	},
	reply: async (event) => {
		const form = await event.request.formData();
		const body = str(form, 'body');
		if (!body) return fail(400, { error: 'ticket.err.emptyBody' as const });
		const data = await graphqlRequest<TicketMutationResult<'addArticle'>, AddArticleVariables>(event, ADD_ARTICLE, {
			input: { ticketId: str(form, 'ticketId'), kind: 'REPLY', body }
		});
		const result = ticketResult(data.addArticle);
		if (!result.ok) return result.failure;
		return { success: 'common.saved' as const };
	}
};
