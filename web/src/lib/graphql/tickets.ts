import { ERROR_FIELDS, type ApiErrorShape, type Connection, type StateType } from './common.ts';

export interface TicketListItem {
	id: string;
	number: string;
	title: string;
	createdAt: string;
	updatedAt: string;
	archived: boolean;
	queue: { id: string; name: string };
	state: { id: string; name: string; type: StateType };
	priority: { id: string; name: string; level: number };
	owner: { id: string; name: string } | null;
	lockedBy: { id: string; name: string } | null;
	customerUser: {
		id: string;
		name: string;
		email: string;
		company: { id: string; name: string } | null;
	} | null;
}

const TICKET_LIST_FIELDS = /* GraphQL */ `
	id number title createdAt updatedAt archived
	queue { id name }
	state { id name type }
	priority { id name level }
	owner { id name }
	lockedBy { id name }
	customerUser { id name email company { id name } }
`;

export type TicketOrderField = 'CREATED_AT' | 'UPDATED_AT' | 'PRIORITY' | 'NUMBER';
export type OrderDirection = 'ASC' | 'DESC';

export interface TicketFilter {
	queueIds?: string[];
	stateTypes?: StateType[];
	priorityIds?: string[];
	ownerId?: string;
	customerUserId?: string;
	locked?: boolean;
	text?: string;
	includeArchived?: boolean;
}

export const TICKETS = /* GraphQL */ `
	query Tickets($first: Int, $after: String, $filter: TicketFilter, $orderBy: TicketOrder) {
		tickets(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
			edges { cursor node { ${TICKET_LIST_FIELDS} } }
			pageInfo { hasNextPage endCursor }
			totalCount
		}
	}
`;
export interface TicketsVariables {
	first: number;
	after?: string | null;
	filter?: TicketFilter;
	orderBy?: { field: TicketOrderField; direction: OrderDirection };
}
export interface TicketsResult {
	tickets: Connection<TicketListItem> & {
		pageInfo: { hasNextPage: boolean; endCursor: string | null };
		totalCount: number;
	};
}

export type ArticleChannel = 'EMAIL' | 'PHONE' | 'PORTAL' | 'NOTE' | 'CHAT';
export type SenderType = 'AGENT' | 'CUSTOMER' | 'SYSTEM';

export interface Article {
	id: string;
	channel: ArticleChannel;
	senderType: SenderType;
	visibleToCustomer: boolean;
	subject: string | null;
	bodyText: string | null;
	bodyHtml: string | null;
	fromAddress: string | null;
	author: { id: string; name: string } | null;
	createdAt: string;
	timeUnits: number | null;
	attachments: { id: string; filename: string; size: number; contentType: string }[];
}

export interface HistoryEntry {
	id: string;
	action: string;
	field: string | null;
	oldValue: string | null;
	newValue: string | null;
	actor: { name: string } | null;
	createdAt: string;
}

export interface TicketView {
	user: { name: string } | null;
	viewedAt: string;
	ip: string | null;
	userAgent: string | null;
}

export interface TicketDetail extends TicketListItem {
	responsible: { id: string; name: string } | null;
	articles: Connection<Article>;
	history?: Connection<HistoryEntry>;
	views?: TicketView[];
}

const ARTICLE_FIELDS = /* GraphQL */ `
	id channel senderType visibleToCustomer subject bodyText bodyHtml fromAddress
	author { id name } createdAt timeUnits
	attachments { id filename size contentType }
`;

/** Agent view of one ticket: thread, history and who viewed it. */
export const AGENT_TICKET = /* GraphQL */ `
	query AgentTicket($number: String!) {
		ticket(number: $number) {
			${TICKET_LIST_FIELDS}
			responsible { id name }
			articles(first: 200) { edges { node { ${ARTICLE_FIELDS} } } }
			history(first: 100) { edges { node { id action field oldValue newValue actor { name } createdAt } } }
			views { user { name } viewedAt ip userAgent }
		}
	}
`;
export interface TicketResult {
	ticket: TicketDetail | null;
}

/** Customer view of one ticket: the API scopes it and filters internal articles out. */
export const PORTAL_TICKET = /* GraphQL */ `
	query PortalTicket($number: String!) {
		ticket(number: $number) {
			${TICKET_LIST_FIELDS}
			responsible { id name }
			articles(first: 200) { edges { node { ${ARTICLE_FIELDS} } } }
		}
	}
`;

// ---- mutations -------------------------------------------------------------------------------

const TICKET_RESULT = /* GraphQL */ `
	__typename
	... on TicketSuccess { ticket { id number } }
	... on LockedError { owner { name } }
	... on ValidationError { field }
	${ERROR_FIELDS}
`;

export type TicketMutationPayload =
	| { __typename: 'TicketSuccess'; ticket: { id: string; number: string } }
	| (ApiErrorShape & { __typename: 'LockedError'; owner: { name: string } | null })
	| (ApiErrorShape & { __typename: 'ValidationError'; field: string | null })
	| (ApiErrorShape & { __typename: 'ForbiddenError' | 'NotFoundError' })
	| ApiErrorShape;

export type ArticleKind = 'REPLY' | 'NOTE' | 'PHONE';

export const ADD_ARTICLE = /* GraphQL */ `
	mutation AddArticle($input: AddArticleInput!) { addArticle(input: $input) { ${TICKET_RESULT} } }
`;
export interface AddArticleVariables {
	input: { ticketId: string; kind: ArticleKind; body: string; subject?: string | null; timeUnits?: number | null };
}

export const SET_TICKET_STATE = /* GraphQL */ `
	mutation SetTicketState($input: SetTicketStateInput!) { setTicketState(input: $input) { ${TICKET_RESULT} } }
`;
export const SET_TICKET_PRIORITY = /* GraphQL */ `
	mutation SetTicketPriority($input: SetTicketPriorityInput!) { setTicketPriority(input: $input) { ${TICKET_RESULT} } }
`;
export const MOVE_TICKET = /* GraphQL */ `
	mutation MoveTicket($input: MoveTicketInput!) { moveTicket(input: $input) { ${TICKET_RESULT} } }
`;
export const ASSIGN_TICKET = /* GraphQL */ `
	mutation AssignTicket($input: AssignTicketInput!) { assignTicket(input: $input) { ${TICKET_RESULT} } }
`;
export const LOCK_TICKET = /* GraphQL */ `
	mutation LockTicket($input: LockTicketInput!) { lockTicket(input: $input) { ${TICKET_RESULT} } }
`;
export const UNLOCK_TICKET = /* GraphQL */ `
	mutation UnlockTicket($input: UnlockTicketInput!) { unlockTicket(input: $input) { ${TICKET_RESULT} } }
`;
export const CREATE_TICKET = /* GraphQL */ `
	mutation CreateTicket($input: CreateTicketInput!) { createTicket(input: $input) { ${TICKET_RESULT} } }
`;
export interface CreateTicketVariables {
	input: {
		queueId: string;
		title: string;
		body: string;
		customerEmail?: string | null;
		priorityId?: string | null;
		channel?: 'EMAIL' | 'PHONE' | 'PORTAL' | null;
	};
}

/** Result key of each ticket mutation, to read `data[key]` generically. */
export type TicketMutationResult<K extends string> = { [P in K]: TicketMutationPayload };
