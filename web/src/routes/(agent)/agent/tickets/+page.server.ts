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
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

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
	const after = p.get('after') || null;
	const prev = (p.get('prev') ?? '').split(',').filter(Boolean);
	return {
		filter,
		after,
		prev,
		sort,
		dir,
		form: { queue: queue ?? '', state, priority: priority ?? '', owner, locked, q: q ?? '', archived: p.get('archived') === '1', starred: p.get('starred') === '1', sort, dir }
	};
}

export const load: PageServerLoad = async (event) => {
	const viewer = event.locals.viewer!;
	const parsed = parse(event.url, viewer.id);
	const [list, lookups] = await Promise.all([
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
		lookups
	};
};
