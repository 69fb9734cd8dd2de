import { fail, type RequestEvent } from '@sveltejs/kit';
import { AGENT_LOOKUPS, type AgentLookupsResult } from '#lib/graphql/lookups.ts';
import { BULK_UPDATE_TICKETS, type BulkOutcome, type BulkReport, type BulkUpdateResult, type BulkUpdateVariables } from '#lib/graphql/workspace.ts';
import type { MessageKey, Params } from '#lib/i18n/index.ts';
import { graphqlRequest } from './api.ts';
import { str } from './results.ts';

export const BULK_MAX = 100;


function reason(outcome: BulkOutcome): { reason: MessageKey; params: Params } {
	switch (outcome.__typename) {
		case 'LockedError':
			return { reason: 'workspace.bulk.err.LockedError', params: { name: outcome.owner?.name ?? '?' } };
		case 'ForbiddenError':
		case 'NotFoundError':
		case 'ValidationError':
			return { reason: `workspace.bulk.err.${outcome.__typename}`, params: {} };
		default:
			return { reason: 'workspace.bulk.err.other', params: {} };
	}
}

/**
 * The list's bulk form (works without JS): the checked rows, or every row of the page when
 * "select all" is checked, and the chosen changes ("" = no change, "-" = clear the owner).
 * "Close selected" picks the tenant's first closed state.
 */
export async function bulkAction(event: RequestEvent) {
	const form = await event.request.formData();
	// each row posts "id|number" so the report can name tickets by number
	const page = new Map(form.getAll('pageTicket').map((v) => String(v).split('|') as [string, string]));
	const ids = form.get('all') === '1' ? [...page.keys()] : form.getAll('ids').map(String).filter(Boolean);
	if (ids.length === 0) return fail(400, { bulkError: 'workspace.bulk.noneSelected' as MessageKey });

	const changes: BulkUpdateVariables['input']['changes'] = {};
	if (form.get('intent') === 'close') {
		const { ticketStates } = await graphqlRequest<AgentLookupsResult>(event, AGENT_LOOKUPS);
		const closed = ticketStates.find((s) => s.type === 'CLOSED');
		if (closed) changes.stateId = closed.id;
	} else if (str(form, 'stateId')) changes.stateId = str(form, 'stateId');
	if (str(form, 'priorityId')) changes.priorityId = str(form, 'priorityId');
	if (str(form, 'queueId')) changes.queueId = str(form, 'queueId');
	const owner = str(form, 'ownerId');
	if (owner) changes.ownerId = owner === '-' ? null : owner;
	if (Object.keys(changes).length === 0) return fail(400, { bulkError: 'workspace.bulk.noChanges' as MessageKey });

	const data = await graphqlRequest<BulkUpdateResult, BulkUpdateVariables>(event, BULK_UPDATE_TICKETS, {
		input: { ticketIds: ids.slice(0, BULK_MAX), changes }
	});
	const payload = data.bulkUpdateTickets;
	if (!('results' in payload)) return fail(400, { bulkError: 'error.generic' as MessageKey });
	const report: BulkReport = {
		updated: payload.results.filter((r) => r.ok).length,
		failed: payload.results
			.filter((r) => !r.ok)
			.map((r) => ({ number: page.get(r.ticketId) ?? '?', ...reason(r.outcome) }))
	};
	return { bulk: report };
}
