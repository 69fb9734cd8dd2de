import { STATE_TYPES, type StateType } from '#lib/graphql/common.ts';
import { AGENT_LOOKUPS, type AgentLookupsResult } from '#lib/graphql/lookups.ts';
import {
	TICKETS,
	type OrderDirection,
	type TicketFilter,
	type TicketOrderField,
	type TicketsResult,
	type TicketsVariables
} from '#lib/graphql/tickets.ts';
import {
	DELETE_SAVED_SEARCH,
	SAVED_SEARCHES,
	SAVE_SEARCH,
	type DeleteSavedSearchResult,
	type SaveSearchResult,
	type SaveSearchVariables,
	type SavedSearchesResult
} from '#lib/graphql/saved-searches.ts';
import { fail, redirect } from '@sveltejs/kit';
import { graphqlRequest } from '#lib/server/api.ts';
import { str } from '#lib/server/results.ts';
import { bulkAction } from '#lib/server/bulk.ts';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 25;
const OPEN_STATES: StateType[] = ['NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE'];
const SORT_FIELDS: TicketOrderField[] = ['UPDATED_AT', 'CREATED_AT', 'PRIORITY', 'NUMBER'];

/**
 * All list state lives in the URL (a GET form), so filters, sorting and paging work without JS
 * and every view can be bookmarked. `after` is the relay cursor; `prev` a stack of the cursors of
 * earlier pages so "Previous" works with a forward-only connection.
 */
function parse(url: URL, viewerId: string) {
	const p = url.searchParams;
	const state = p.get('state') ?? 'open';
	const sort = SORT_FIELDS.includes(p.get('sort') as TicketOrderField) ? (p.get('sort') as TicketOrderField) : 'UPDATED_AT';
	const dir: OrderDirection = p.get('dir') === 'ASC' ? 'ASC' : 'DESC';
	const owner = p.get('owner') ?? '';
	const locked = p.get('locked') ?? '';
	const filter: TicketFilter = {};
	const queue = p.get('queue');
	if (queue) filter.queueIds = [queue];
	if (state === 'open') filter.stateTypes = OPEN_STATES;
	else if (STATE_TYPES.includes(state as StateType)) filter.stateTypes = [state as StateType];
	const priority = p.get('priority');
	if (priority) filter.priorityIds = [priority];
	if (owner === 'me') filter.ownerId = viewerId;
	else if (owner) filter.ownerId = owner;
	if (locked === '1' || locked === '0') filter.locked = locked === '1';
	const q = p.get('q')?.trim();
	if (q) filter.text = q;
	if (p.get('archived') === '1') filter.includeArchived = true;
	if (p.get('starred') === '1') filter.starred = true;
	// the customer panel of the ticket view links here with customer= or company=
	const customer = p.get('customer') ?? '';
	const company = p.get('company') ?? '';
	if (customer) filter.customerUserId = customer;
	if (company) filter.customerCompanyId = company;
	const after = p.get('after') || null;
	const prev = (p.get('prev') ?? '').split(',').filter(Boolean);
	return {
		filter,
		after,
		prev,
		sort,
		dir,
		form: { queue: queue ?? '', state, priority: priority ?? '', owner, locked, q: q ?? '', archived: p.get('archived') === '1', starred: p.get('starred') === '1', sort, dir, customer, company }
	};
}

/** The inverse of `parse()`: a saved TicketFilter back to list URL parameters. */
function filterToQuery(filter: TicketFilter, viewerId: string): string {
	const p = new URLSearchParams();
	if (filter.queueIds?.[0]) p.set('queue', filter.queueIds[0]);
	const types = filter.stateTypes ?? [];
	if (types.length === 0) p.set('state', 'all');
	else if (types.length === 1) p.set('state', types[0]);
	else p.set('state', 'open');
	if (filter.priorityIds?.[0]) p.set('priority', filter.priorityIds[0]);
	if (filter.ownerId) p.set('owner', filter.ownerId === viewerId ? 'me' : filter.ownerId);
	if (filter.locked !== undefined && filter.locked !== null) p.set('locked', filter.locked ? '1' : '0');
	if (filter.text) p.set('q', filter.text);
	if (filter.includeArchived) p.set('archived', '1');
	if (filter.starred) p.set('starred', '1');
	if (filter.customerUserId) p.set('customer', filter.customerUserId);
	if (filter.customerCompanyId) p.set('company', filter.customerCompanyId);
	return p.toString();
}

export const load: PageServerLoad = async (event) => {
	const viewer = event.locals.viewer!;
	const saved = graphqlRequest<SavedSearchesResult>(event, SAVED_SEARCHES).catch(() => ({ savedSearches: [] as SavedSearchesResult['savedSearches'] }));
	// Opening the bare list shows the agent's default view, if one is saved.
	if (event.url.search === '') {
		const fallback = (await saved).savedSearches.find((s) => s.isDefault);
		if (fallback) redirect(303, `/agent/tickets?${filterToQuery(fallback.filter, viewer.id)}`);
	}

	// the saved searches load alongside the list (one round trip less on the critical path)
	const parsed = parse(event.url, viewer.id);
	const [{ savedSearches }, list, lookups] = await Promise.all([
		saved,
		graphqlRequest<TicketsResult, TicketsVariables>(event, TICKETS, {
			first: PAGE_SIZE,
			after: parsed.after,
			filter: parsed.filter,
			orderBy: { field: parsed.sort, direction: parsed.dir }
		}),
		graphqlRequest<AgentLookupsResult>(event, AGENT_LOOKUPS)
	]);
	return {
		tickets: list.tickets.edges.map((e) => e.node),
		pageInfo: list.tickets.pageInfo,
		totalCount: list.tickets.totalCount,
		pageSize: PAGE_SIZE,
		after: parsed.after,
		prev: parsed.prev,
		filters: parsed.form,
		lookups,
		savedSearches: savedSearches.map((s) => ({ ...s, query: filterToQuery(s.filter, viewer.id) }))
	};
};

export const actions: Actions = {
	/** Bulk actions bar: owner / queue / state / priority for the checked rows (or the whole page). */
	bulk: bulkAction,
	/** Saves the list's current filter (sent as the page's query string) under a name. */
	save: async (event) => {
		const form = await event.request.formData();
		const name = str(form, 'name');
		if (!name) return fail(400, { error: 'ticket.err.validation' as const, params: { field: 'name' } });
		const url = new URL(`/agent/tickets${str(form, 'query')}`, event.url);
		const { filter } = parse(url, event.locals.viewer!.id);
		const data = await graphqlRequest<SaveSearchResult, SaveSearchVariables>(event, SAVE_SEARCH, {
			input: { name, filter, isDefault: form.get('isDefault') === '1' }
		});
		if (data.saveSearch.__typename !== 'SaveSearchSuccess') {
			return fail(400, { error: 'error.generic' as const, params: {} });
		}
		return { success: 'common.saved' as const };
	},
	deleteSearch: async (event) => {
		const form = await event.request.formData();
		await graphqlRequest<DeleteSavedSearchResult>(event, DELETE_SAVED_SEARCH, { id: str(form, 'id') });
		return { success: 'common.saved' as const };
	}
};
