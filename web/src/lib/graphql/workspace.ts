// Agent workspace operations: bulk changes, customer panel, links, watching, seen marks, locale.
import { ERROR_FIELDS, type ApiErrorShape } from './common.ts';
import type { MessageKey, Params } from '#lib/i18n/index.ts';

/** What the list's bulk action reports back: how many changed, and which did not and why. */
export interface BulkReport {
	updated: number;
	failed: { number: string; reason: MessageKey; params: Params }[];
}

export const BULK_UPDATE_TICKETS = /* GraphQL */ `
	mutation BulkUpdateTickets($input: BulkUpdateTicketsInput!) {
		bulkUpdateTickets(input: $input) {
			__typename
			... on BulkUpdateTicketsSuccess {
				results {
					ticketId
					ok
					outcome { __typename ... on LockedError { owner { name } } ${ERROR_FIELDS} }
				}
			}
			${ERROR_FIELDS}
		}
	}
`;
export interface BulkUpdateVariables {
	input: {
		ticketIds: string[];
		changes: { stateId?: string; priorityId?: string; queueId?: string; ownerId?: string | null };
	};
}
export type BulkOutcome = { __typename: string; owner?: { name: string } | null; message?: string; code?: string };
export interface BulkUpdateResult {
	bulkUpdateTickets:
		| { __typename: 'BulkUpdateTicketsSuccess'; results: { ticketId: string; ok: boolean; outcome: BulkOutcome }[] }
		| ApiErrorShape;
}

export interface PanelTicket {
	id: string;
	number: string;
	title: string;
	updatedAt: string;
	unread: boolean;
	state: { name: string; type: string };
	customerUser: { id: string; name: string } | null;
}
const PANEL_FIELDS = /* GraphQL */ `edges { node { id number title updatedAt unread state { name type } customerUser { id name } } } totalCount`;

/** The customer's and their company's latest tickets (both lists include archived ones). */
export const CUSTOMER_PANEL = /* GraphQL */ `
	query CustomerPanel($customer: ID!, $company: ID, $withCompany: Boolean!) {
		customer: tickets(first: 11, filter: { customerUserId: $customer, includeArchived: true }, orderBy: { field: CREATED_AT, direction: DESC }) { ${PANEL_FIELDS} }
		company: tickets(first: 21, filter: { customerCompanyId: $company, includeArchived: true }, orderBy: { field: CREATED_AT, direction: DESC }) @include(if: $withCompany) { ${PANEL_FIELDS} }
	}
`;
type PanelConnection = { edges: { node: PanelTicket }[]; totalCount: number };
export interface CustomerPanelResult {
	customer: PanelConnection;
	company?: PanelConnection;
}

export const LINK_TICKETS = /* GraphQL */ `
	mutation LinkTickets($input: LinkTicketsInput!) {
		linkTickets(input: $input) {
			__typename
			... on LinkTicketsSuccess { ticket { id number } }
			... on LockedError { owner { id name } }
			... on ValidationError { field }
			${ERROR_FIELDS}
		}
	}
`;

export const WATCH_TICKET = /* GraphQL */ `
	mutation WatchTicket($input: WatchTicketInput!) {
		watchTicket(input: $input) {
			__typename
			... on WatchTicketSuccess { ticket { id } }
			${ERROR_FIELDS}
		}
	}
`;

export const MARK_TICKET_SEEN = /* GraphQL */ `
	mutation MarkTicketSeen($input: MarkTicketSeenInput!) {
		markTicketSeen(input: $input) { __typename }
	}
`;

export const SET_MY_LOCALE = /* GraphQL */ `
	mutation SetMyLocale($input: SetMyLocaleInput!) {
		setMyLocale(input: $input) { __typename ${ERROR_FIELDS} }
	}
`;
