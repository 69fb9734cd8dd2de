import { error, fail } from '@sveltejs/kit';
import { nodes } from '#lib/graphql/common.ts';
import { ADD_ARTICLE, CLOSE_TICKET, PORTAL_TICKET, RECORD_TICKET_VIEW, type AddArticleVariables, type TicketMutationResult, type TicketResult } from '#lib/graphql/tickets.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { RATE_REPLY, RATE_TICKET, TICKET_RATINGS, type RateResult, type TicketRatingsResult } from '#lib/graphql/ratings.ts';
import { postedScore, rateResult } from '#lib/server/ratings.ts';
import { str, ticketResult } from '#lib/server/results.ts';
import { htmlToText } from '#lib/server/text.ts';
import { readPostedForm } from '#lib/server/attachments.ts';
import { MARK_TICKET_SEEN } from '#lib/graphql/workspace.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { ticket } = await graphqlRequest<TicketResult>(event, PORTAL_TICKET, { number: event.params.number });
	if (!ticket) error(404, { message: 'Not found', code: 'NOT_FOUND' });
	if (event.request.method === 'GET') {
		await graphqlRequest(event, RECORD_TICKET_VIEW, { input: { ticketId: ticket.id } }).catch(() => undefined);
	} else {
		// after a no-JS reply the page re-renders: the customer has seen the ticket as it is now
		await graphqlRequest(event, MARK_TICKET_SEEN, { input: { ticketId: ticket.id } }).catch(() => undefined);
	}
	const { ratingScale, ratings } = await graphqlRequest<TicketRatingsResult>(event, TICKET_RATINGS, { ticketId: ticket.id });
	// The API already leaves internal notes out for customers; filter again so a slip never shows.
	const articles = nodes(ticket.articles)
		.filter((a) => a.visibleToCustomer && a.channel !== 'NOTE')
		.map((a) => ({
			...a,
			timeMinutes: 0,
			bodyText: a.bodyText ?? (a.bodyHtml ? htmlToText(a.bodyHtml) : ''),
			// Rating.articleId is the raw id; the article's id is a relay global id
			rating: a.senderType === 'AGENT' ? (ratings.find((r) => r.target === 'REPLY' && r.articleId === rawId(a.id))?.score ?? null) : undefined
		}));
	return {
		ticket: { id: ticket.id, number: ticket.number, title: ticket.title, state: ticket.state, queue: ticket.queue, createdAt: ticket.createdAt },
		articles,
		ratingScale,
		ticketRating: ratings.find((r) => r.target === 'TICKET') ?? null,
		created: event.url.searchParams.has('created')
	};
};

/** The UUID inside a relay global id (base64 of `Type:uuid`); a raw id stays as it is. */
function rawId(id: string): string {
	try {
		const decoded = Buffer.from(id, 'base64').toString('utf8');
		const sep = decoded.indexOf(':');
		if (sep > 0) return decoded.slice(sep + 1);
	} catch {
		// not base64
	}
	return id;
}

export const actions: Actions = {
	/** Rate one agent reply (again: the rating changes). */
	rateReply: async (event) => {
		const form = await event.request.formData();
		const articleId = str(form, 'articleId');
		const score = postedScore(form);
		if (score === null) return fail(400, { error: 'rate.err.score' as const, rated: articleId });
		const data = await graphqlRequest<RateResult<'rateReply'>>(event, RATE_REPLY, { articleId, score });
		const result = rateResult(data.rateReply);
		if (!result.ok) return fail(result.failure.status, { ...result.failure.data, rated: articleId });
		return { success: 'rate.saved' as const, rated: articleId, score: result.rating.score };
	},
	/** Rate the whole ticket once it is solved. */
	rateTicket: async (event) => {
		const form = await event.request.formData();
		const score = postedScore(form);
		const comment = str(form, 'comment');
		if (score === null) return fail(400, { error: 'rate.err.score' as const, rated: 'ticket' });
		const data = await graphqlRequest<RateResult<'rateTicket'>>(event, RATE_TICKET, { ticketId: str(form, 'ticketId'), score, comment: comment || null });
		const result = rateResult(data.rateTicket);
		if (!result.ok) return fail(result.failure.status, { ...result.failure.data, rated: 'ticket' });
		return { success: result.reopened ? ('rate.reopened' as const) : ('rate.saved' as const), rated: 'ticket', score: result.rating.score };
	},
	/** Customers may close their own ticket. */
	close: async (event) => {
		const form = await event.request.formData();
		const data = await graphqlRequest<TicketMutationResult<'closeTicket'>>(event, CLOSE_TICKET, { input: { ticketId: str(form, 'ticketId') } });
		const result = ticketResult(data.closeTicket);
		if (!result.ok) return result.failure;
		return { success: 'common.saved' as const };
	},
	reply: async (event) => {
		const { form, attachmentIds, failure } = await readPostedForm(event);
		const body = str(form, 'body');
		if (failure) return fail(failure.status, { error: failure.error, params: failure.params, body });
		if (!body) return fail(400, { error: 'ticket.err.emptyBody' as const });
		const data = await graphqlRequest<TicketMutationResult<'addArticle'>, AddArticleVariables>(event, ADD_ARTICLE, {
			input: { ticketId: str(form, 'ticketId'), kind: 'REPLY', body, attachmentIds }
		});
		const result = ticketResult(data.addArticle);
		if (!result.ok) return fail(result.failure.status, { ...result.failure.data, body });
		return { success: 'common.saved' as const };
	}
};
