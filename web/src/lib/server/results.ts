import { fail } from '@sveltejs/kit';
import type { TicketMutationPayload } from '#lib/graphql/tickets.ts';
import type { MessageKey, Params } from '#lib/i18n/index.ts';

export interface ActionFailure {
	error: MessageKey;
	params?: Params;
}

/**
 * Turns a ticket mutation's union result into either the ticket or a SvelteKit `fail()` with a
 * message key the page translates. Unknown error types fall back to the generic message.
 */
export function ticketResult(payload: TicketMutationPayload) {
	if (payload.__typename.endsWith('Success')) {
		const success = payload as { ticket?: { id: string; number: string }; result?: { ticket: { id: string; number: string } } };
		const ticket = success.ticket ?? success.result?.ticket;
		if (ticket) return { ok: true as const, ticket };
	}
	switch (payload.__typename) {
		case 'LockedError':
			return {
				ok: false as const,
				failure: fail(409, {
					error: 'ticket.err.locked',
					params: { name: 'owner' in payload ? (payload.owner?.name ?? '?') : '?' }
				} satisfies ActionFailure)
			};
		case 'ForbiddenError':
			return { ok: false as const, failure: fail(403, { error: 'ticket.err.forbidden' } satisfies ActionFailure) };
		case 'NotFoundError':
			return { ok: false as const, failure: fail(404, { error: 'ticket.err.notFound' } satisfies ActionFailure) };
		case 'NoIncidentLeftError':
			// billing: the queue needs an incident and the customer has none left (createTicket)
			return { ok: false as const, failure: fail(402, { error: 'ticket.err.noIncident' } satisfies ActionFailure) };
		case 'AttachmentUnusableError':
			// attachments: an upload id that expired (purged) or was used by another message already
			return { ok: false as const, failure: fail(409, { error: 'attachments.err.unusable' } satisfies ActionFailure) };
		case 'ValidationError':
			return {
				ok: false as const,
				failure: fail(400, {
					error: 'ticket.err.validation',
					params: { field: 'field' in payload ? (payload.field ?? '') : '' }
				} satisfies ActionFailure)
			};
	}
	return { ok: false as const, failure: fail(500, { error: 'error.generic' } satisfies ActionFailure) };
}

export function str(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}
