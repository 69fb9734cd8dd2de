import { error, fail, redirect } from '@sveltejs/kit';
import { AGENT_LOOKUPS, TEMPLATES, type AgentLookupsResult, type TemplatesResult } from '#lib/graphql/lookups.ts';
import {
	ADD_ARTICLE,
	AGENT_TICKET,
	AGENT_TICKET_ARTICLES,
	ASSIGN_TICKET,
	LOCK_TICKET,
	MERGE_TICKETS,
	MOVE_TICKET,
	SET_TICKET_CUSTOM_FIELDS,
	TICKET_BY_NUMBER,
	TICKET_FIELD_DEFINITIONS,
	UNMERGE_TICKET,
	type TicketByNumberResult,
	type TicketFieldDefinition,
	type TicketFieldDefinitionsResult,
	SET_TICKET_PRIORITY,
	SET_TICKET_RESPONSIBLE,
	SET_TICKET_STATE,
	STAR_TICKET,
	UNLOCK_TICKET,
	type AddArticleVariables,
	type ArticleKind,
	type TicketMutationResult,
	type TicketArticlesResult,
	type TicketResult
} from '#lib/graphql/tickets.ts';
import { nodes } from '#lib/graphql/common.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { str, ticketResult, type ActionFailure } from '#lib/server/results.ts';
import { requestedWindow, windowFor } from './thread.ts';
import { readPostedForm } from '#lib/server/attachments.ts';
import { CUSTOMER_PANEL, LINK_TICKETS, MARK_TICKET_SEEN, WATCH_TICKET, type CustomerPanelResult } from '#lib/graphql/workspace.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const KINDS: ArticleKind[] = ['REPLY', 'NOTE', 'PHONE'];

/** `2026-11-23T09:00` typed in the browser's zone (offset from getTimezoneOffset, minutes) → ISO UTC. */
function localToIso(local: string, tzOffsetMinutes: number): string {
	const asUtc = new Date(`${local}:00Z`);
	return new Date(asUtc.getTime() + tzOffsetMinutes * 60_000).toISOString();
}

export const load: PageServerLoad = async (event) => {
	// Live updates (web/src/lib/live) re-run only this load: invalidate('live:ticket').
	event.depends('live:ticket');
	const requested = requestedWindow(event.url);
	const loaded = graphqlRequest<TicketResult>(event, AGENT_TICKET, { number: event.params.number, articles: requested });
	// what needs the ticket starts as soon as it is there, not after the lookups and templates
	const dependent = loaded.then(({ ticket }) =>
		ticket
			? Promise.all([
					markSeen(event, ticket.id),
					graphqlRequest<TicketFieldDefinitionsResult>(event, TICKET_FIELD_DEFINITIONS, { queueId: ticket.queue.id }),
					customerPanel(event, ticket)
				])
			: null
	);
	const [{ ticket }, lookups, { templates }, more] = await Promise.all([
		loaded,
		graphqlRequest<AgentLookupsResult>(event, AGENT_LOOKUPS),
		graphqlRequest<TemplatesResult>(event, TEMPLATES),
		dependent
	]);
	if (!ticket || !more) error(404, { message: `Ticket ${event.params.number} not found`, code: 'NOT_FOUND' });
	// Not event.parent(): on the server it would re-run the layout load (and log a view) every time.
	const [, { customFieldDefinitions }, panel] = more;

	// Long threads: the newest `requested` articles, widened to the one a permalink names
	// (thread.ts). The others are only ids here; the page links to them (?thread=…).
	const ids = nodes(ticket.thread).map((a) => a.id);
	const shownCount = windowFor(ids, requested, event.url.searchParams.get('article'));
	let shown = nodes(ticket.articles);
	if (shownCount > shown.length && shown.length < ids.length) {
		const wider = await graphqlRequest<TicketArticlesResult>(event, AGENT_TICKET_ARTICLES, { number: event.params.number, last: shownCount });
		if (wider.ticket) shown = nodes(wider.ticket.articles);
	}
	const shownIds = new Set(shown.map((a) => a.id));

	// bodyHtml (sanitized by the API) is rendered in a containing box by ArticleCard; bodyText is
	// the fallback, so it is not sent (into the hydration data) a second time next to the HTML.
	const articles = shown.map((a) => ({
		...a,
		bodyText: a.bodyHtml ? null : (a.bodyText ?? '')
	}));
	return {
		ticket: { ...ticket, articles: undefined, thread: undefined, history: undefined },
		articles,
		/** Ids of the earlier articles not rendered (oldest first), and how many are shown */
		thread: { hidden: ids.filter((id) => !shownIds.has(id)), shown: articles.length },
		history: nodes(ticket.history),
		/** Without the view the layout load just logged (the page merges `ownView` in) */
		ticketViews: ticket.views ?? [],
		lookups,
		templates,
		fieldDefinitions: customFieldDefinitions,
		panel
	};
};

/** The customer's and their company's latest other tickets (10 each), for the customer panel. */
async function customerPanel(event: Parameters<PageServerLoad>[0], ticket: NonNullable<TicketResult['ticket']>) {
	const customer = ticket.customerUser;
	if (!customer) return null;
	const company = customer.company;
	const data = await graphqlRequest<CustomerPanelResult>(event, CUSTOMER_PANEL, {
		customer: customer.id, company: company?.id ?? null, withCompany: !!company
	}).catch(() => null);
	if (!data) return null;
	const others = (c: CustomerPanelResult['customer'] | undefined, skipCustomer: boolean) =>
		nodes(c).filter((x) => x.id !== ticket.id && !(skipCustomer && x.customerUser?.id === customer.id)).slice(0, 10);
	return {
		customer: { id: customer.id, name: customer.name, tickets: others(data.customer, false) },
		company: company ? { id: company.id, name: company.name, tickets: others(data.company, true) } : null
	};
}

/** One custom field's form value(s) → the JSON value the API expects (null clears the field). */
function fieldInput(def: TicketFieldDefinition, form: FormData, tzOffset: number): unknown {
	const name = `cf:${def.key}`;
	if (def.type === 'MULTISELECT' || def.type === 'CHECKBOXES') return form.getAll(name).filter((v) => typeof v === 'string' && v !== '');
	const value = str(form, name);
	if (!value) return null;
	if (def.type === 'DATETIME') return localToIso(value, tzOffset);
	return value;
}

/**
 * The agent has seen the ticket as it is now (unread marks): on every load, including live
 * refreshes and no-JS form posts. Opening it also logs a view (+layout.server.ts). Best effort.
 */
async function markSeen(event: Parameters<PageServerLoad>[0], ticketId: string): Promise<void> {
	await graphqlRequest(event, MARK_TICKET_SEEN, { input: { ticketId } }).catch(() => undefined);
}

async function ticketId(event: RequestEvent, form: FormData): Promise<string> {
	// Actions receive the id from the form; fall back to a lookup by number.
	const id = str(form, 'ticketId');
	if (id) return id;
	const { ticket } = await graphqlRequest<TicketResult>(event, AGENT_TICKET, { number: event.params.number });
	if (!ticket) error(404, { message: 'Not found', code: 'NOT_FOUND' });
	return ticket.id;
}

/** A failed send hands the composer's text back (files cannot be: the browser keeps them only with JS). */
function withCompose<F extends { status: number; data: object }>(failure: F, compose: unknown) {
	return fail(failure.status, { ...failure.data, compose });
}

async function mutate<K extends string>(event: RequestEvent, query: string, key: K, input: Record<string, unknown>) {
	const data = await graphqlRequest<TicketMutationResult<K>>(event, query, { input });
	return ticketResult(data[key]);
}

export const actions: Actions = {
	/** Reply / note / phone call. The kind comes from the composer's radio group. */
	article: async (event) => {
		// multipart: the files go to the API as they arrive (attachments), the rest is the form
		const { form, attachmentIds, failure } = await readPostedForm(event);
		const kindValue = str(form, 'kind') as ArticleKind;
		const kind: ArticleKind = KINDS.includes(kindValue) ? kindValue : 'REPLY';
		const body = str(form, 'body');
		const subject = str(form, 'subject') || null;
		const minutes = Math.round(Number(str(form, 'timeMinutes').replace(',', '.')));
		const compose = { kind, body, subject: subject ?? '', timeMinutes: str(form, 'timeMinutes') };
		if (failure) return fail(failure.status, { error: failure.error, params: failure.params, compose } satisfies ActionFailure & { compose: unknown });
		if (!body) return fail(400, { error: 'ticket.err.emptyBody', compose } satisfies ActionFailure & { compose: unknown });

		const variables: AddArticleVariables = {
			input: {
				ticketId: await ticketId(event, form),
				kind,
				body,
				subject,
				timeMinutes: Number.isFinite(minutes) && minutes > 0 ? minutes : null,
				attachmentIds
			}
		};
		const data = await graphqlRequest<TicketMutationResult<'addArticle'>, AddArticleVariables>(event, ADD_ARTICLE, variables);
		const result = ticketResult(data.addArticle);
		if (!result.ok) return withCompose(result.failure, compose);
		return { success: 'common.saved' as const, sent: kind };
	},

	/** Without JS the template picker posts here and gets the composer back with the text inserted. */
	template: async (event) => {
		const form = await event.request.formData();
		const { templates } = await graphqlRequest<TemplatesResult>(event, TEMPLATES);
		const template = templates.find((t) => t.id === str(form, 'templateId'));
		const body = String(form.get('body') ?? '');
		return {
			compose: {
				kind: (KINDS.includes(str(form, 'kind') as ArticleKind) ? str(form, 'kind') : 'REPLY') as ArticleKind,
				subject: str(form, 'subject'),
				timeMinutes: str(form, 'timeMinutes'),
				body: template ? (body ? `${body.trimEnd()}\n\n${template.body}` : template.body) : body
			}
		};
	},

	/** One form for state, priority, queue and owner: only the fields that changed are sent. */
	properties: async (event) => {
		const form = await event.request.formData();
		const id = await ticketId(event, form);
		const changes: [string, string, string, Record<string, unknown>][] = [];
		const changed = (name: string) => str(form, name) !== str(form, `${name}Was`);
		const pending = str(form, 'pendingUntil');
		// a new pending-until date alone also needs setTicketState (same state, new date)
		if (str(form, 'stateId') && (changed('stateId') || (pending && changed('pendingUntil')))) {
			const input: Record<string, unknown> = { ticketId: id, stateId: str(form, 'stateId') };
			if (pending) input.pendingUntil = localToIso(pending, Number(str(form, 'tzOffset') || 0));
			changes.push([SET_TICKET_STATE, 'setTicketState', 'state', input]);
		}
		if (str(form, 'priorityId') && changed('priorityId')) changes.push([SET_TICKET_PRIORITY, 'setTicketPriority', 'priority', { ticketId: id, priorityId: str(form, 'priorityId') }]);
		if (str(form, 'queueId') && changed('queueId')) changes.push([MOVE_TICKET, 'moveTicket', 'queue', { ticketId: id, queueId: str(form, 'queueId') }]);
		if (changed('ownerId')) changes.push([ASSIGN_TICKET, 'assignTicket', 'owner', { ticketId: id, ownerId: str(form, 'ownerId') || null }]);
		if (changed('responsibleId')) changes.push([SET_TICKET_RESPONSIBLE, 'setTicketResponsible', 'responsible', { ticketId: id, responsibleId: str(form, 'responsibleId') || null }]);
		for (const [query, key, , input] of changes) {
			const result = await mutate(event, query, key, input);
			if (!result.ok) return result.failure;
		}
		return { success: 'common.saved' as const, properties: true };
	},

	lock: async (event) => {
		const form = await event.request.formData();
		const result = await mutate(event, LOCK_TICKET, 'lockTicket', { ticketId: await ticketId(event, form) });
		return result.ok ? { success: 'common.saved' as const } : result.failure;
	},

	star: async (event) => {
		const form = await event.request.formData();
		const result = await mutate(event, STAR_TICKET, 'starTicket', { ticketId: await ticketId(event, form), starred: str(form, 'starred') === '1' });
		return result.ok ? { success: 'common.saved' as const } : result.failure;
	},

	/** Merge this ticket into another one, named by its number. */
	merge: async (event) => {
		const form = await event.request.formData();
		const targetNumber = str(form, 'targetNumber').replace(/^#/, '');
		if (!targetNumber) return fail(400, { error: 'ticket.err.mergeTarget', mergeTarget: targetNumber });
		const { ticket: target } = await graphqlRequest<TicketByNumberResult>(event, TICKET_BY_NUMBER, { number: targetNumber });
		if (!target) return fail(404, { error: 'ticket.err.mergeTarget', mergeTarget: targetNumber });
		const result = await mutate(event, MERGE_TICKETS, 'mergeTickets', { ticketId: await ticketId(event, form), targetId: target.id });
		if (!result.ok) return result.failure;
		redirect(303, `/agent/tickets/${encodeURIComponent(target.number)}`);
	},

	unmerge: async (event) => {
		const form = await event.request.formData();
		const result = await mutate(event, UNMERGE_TICKET, 'unmergeTicket', { ticketId: await ticketId(event, form) });
		return result.ok ? { success: 'common.saved' as const } : result.failure;
	},

	fields: async (event) => {
		const form = await event.request.formData();
		const id = await ticketId(event, form);
		const { customFieldDefinitions } = await graphqlRequest<TicketFieldDefinitionsResult>(event, TICKET_FIELD_DEFINITIONS, { queueId: str(form, 'queueId') || null });
		const tz = Number(str(form, 'tzOffset') || 0);
		const values = customFieldDefinitions.map((def) => ({ key: def.key, value: fieldInput(def, form, tz) }));
		const data = await graphqlRequest<TicketMutationResult<'setTicketCustomFields'>>(event, SET_TICKET_CUSTOM_FIELDS, { ticketId: id, values });
		const result = ticketResult(data.setTicketCustomFields);
		return result.ok ? { success: 'common.saved' as const } : result.failure;
	},

	/** Link this ticket to another one, named by its number (optionally as its parent). */
	link: async (event) => {
		const form = await event.request.formData();
		const targetNumber = str(form, 'linkNumber').replace(/^#/, '');
		const { ticket: target } = targetNumber
			? await graphqlRequest<TicketByNumberResult>(event, TICKET_BY_NUMBER, { number: targetNumber })
			: { ticket: null };
		if (!target) return fail(404, { error: 'workspace.links.notFound' as const, params: { number: targetNumber }, linkNumber: targetNumber });
		const result = await mutate(event, LINK_TICKETS, 'linkTickets', {
			ticketId: await ticketId(event, form), targetId: target.id, parentChild: form.get('parentChild') === '1'
		});
		return result.ok ? { success: 'workspace.links.linked' as const } : result.failure;
	},

	watch: async (event) => {
		const form = await event.request.formData();
		const data = await graphqlRequest<TicketMutationResult<'watchTicket'>>(event, WATCH_TICKET, {
			input: { ticketId: await ticketId(event, form), watching: str(form, 'watching') === '1' }
		});
		const result = ticketResult(data.watchTicket);
		return result.ok ? { success: 'common.saved' as const } : result.failure;
	},

	unlock: async (event) => {
		const form = await event.request.formData();
		const result = await mutate(event, UNLOCK_TICKET, 'unlockTicket', { ticketId: await ticketId(event, form) });
		return result.ok ? { success: 'common.saved' as const } : result.failure;
	}
};
