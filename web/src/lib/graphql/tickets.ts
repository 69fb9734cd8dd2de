import { ERROR_FIELDS, type ApiErrorShape, type Connection, type StateType } from './common.ts';

export interface TicketListItem {
	id: string;
	number: string;
	title: string;
	createdAt: string;
	updatedAt: string;
	archived: boolean;
	/** Changed since the viewer last opened it (or never opened) */
	unread: boolean;
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
	id number title createdAt updatedAt archived unread
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
	customerCompanyId?: string;
	locked?: boolean;
	text?: string;
	includeArchived?: boolean;
	/** Only my favourites */
	starred?: boolean;
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

export type ArticleChannel = 'EMAIL' | 'PHONE' | 'PORTAL' | 'NOTE' | 'CHAT' | 'API';
export type SenderType = 'AGENT' | 'CUSTOMER' | 'SYSTEM';

export interface Article {
	id: string;
	channel: ArticleChannel;
	senderType: SenderType;
	visibleToCustomer: boolean;
	subject: string | null;
	bodyText: string | null;
	/** Sanitized by the API; ArticleCard renders it in a box that clips and scrolls. */
	bodyHtml: string | null;
	fromAddress: string | null;
	author: { id: string; name: string } | null;
	customerAuthor: { id: string; name: string } | null;
	createdAt: string;
	/** Agent-only; absent in the portal. */
	timeMinutes?: number;
	attachments: { id: string; filename: string; size: number; contentType: string }[];
}

export interface HistoryEntry {
	id: string;
	action: string;
	field: string | null;
	oldValue: string | null;
	newValue: string | null;
	actor: { name: string } | null;
	customerActor: { name: string } | null;
	createdAt: string;
}

export interface TicketView {
	id: string;
	user: { name: string } | null;
	customerUser: { name: string } | null;
	viewedAt: string;
	ip: string | null;
	userAgent: string | null;
}

export interface CustomFieldValue {
	field: { id: string; key: string; label: string; type: string };
	value: unknown;
}

export interface TicketLink {
	kind: 'NORMAL' | 'PARENT_CHILD';
	source: { id: string; number: string; title: string };
	target: { id: string; number: string; title: string };
}

export interface TicketDetail extends TicketListItem {
	customFields?: CustomFieldValue[];
	mergedInto?: { number: string; title: string } | null;
	links?: TicketLink[];
	responsible: { id: string; name: string } | null;
	pendingUntil: string | null;
	firstResponseDueAt: string | null;
	solutionDueAt: string | null;
	starred: boolean;
	watched: boolean;
	articles: Connection<Article>;
	/** Agent view: every article's id, oldest first */
	thread?: Connection<{ id: string }>;
	history?: Connection<HistoryEntry>;
	views?: TicketView[];
}

/** Article fields a customer may read (timeMinutes and messageId are agent-only). */
const CUSTOMER_ARTICLE_FIELDS = /* GraphQL */ `
	id channel senderType visibleToCustomer subject bodyText bodyHtml fromAddress
	author { id name } customerAuthor { id name } createdAt
	attachments { id filename size contentType }
`;
const ARTICLE_FIELDS = `${CUSTOMER_ARTICLE_FIELDS} timeMinutes`;

/**
 * Agent view of one ticket: the newest `$articles` articles of the thread (full), the ids of the
 * whole thread (`thread`, oldest first: anchors and the "show earlier" count), history and who
 * viewed it.
 */
export const AGENT_TICKET = /* GraphQL */ `
	query AgentTicket($number: String!, $articles: Int = 25) {
		ticket(number: $number) {
			${TICKET_LIST_FIELDS}
			responsible { id name }
			pendingUntil firstResponseDueAt solutionDueAt starred watched
			customFields { field { id key label type } value }
			mergedInto { number title }
			links { kind source { id number title } target { id number title } }
			articles(last: $articles) { edges { node { ${ARTICLE_FIELDS} } } }
			thread: articles(first: 500) { edges { node { id } } }
			history(first: 100) { edges { node { id action field oldValue newValue actor { name } customerActor { name } createdAt } } }
			views(last: 50) { id user { name } customerUser { name } viewedAt ip userAgent }
		}
	}
`;
export interface TicketResult {
	ticket: TicketDetail | null;
}

/** The newest `$last` articles alone (a permalink to an article outside the first window). */
export const AGENT_TICKET_ARTICLES = /* GraphQL */ `
	query AgentTicketArticles($number: String!, $last: Int!) {
		ticket(number: $number) {
			id
			articles(last: $last) { edges { node { ${ARTICLE_FIELDS} } } }
		}
	}
`;
export interface TicketArticlesResult {
	ticket: { id: string; articles: Connection<Article> } | null;
}

/** Customer view of one ticket: the API scopes it and filters internal articles out; SLA, star,
 * history and views are agent-only fields. */
export const PORTAL_TICKET = /* GraphQL */ `
	query PortalTicket($number: String!) {
		ticket(number: $number) {
			${TICKET_LIST_FIELDS}
			articles(first: 200) { edges { node { ${CUSTOMER_ARTICLE_FIELDS} } } }
		}
	}
`;

// ---- mutations -------------------------------------------------------------------------------
// Each mutation has its own success type (`LockTicketSuccess { ticket }`, ...); addArticle wraps
// it as `AddArticleSuccess { result { article ticket } }`. `ticketResult()` normalises them.

function ticketMutation(name: string, inputType: string, success: string, ticketPath = 'ticket { id number }'): string {
	const op = name.charAt(0).toUpperCase() + name.slice(1);
	return /* GraphQL */ `
		mutation ${op}($input: ${inputType}!) {
			${name}(input: $input) {
				__typename
				... on ${success} { ${ticketPath} }
				... on LockedError { owner { id name } }
				... on ValidationError { field }
				${ERROR_FIELDS}
			}
		}
	`;
}

export type TicketMutationPayload =
	| { __typename: `${string}Success`; ticket?: { id: string; number: string }; result?: { ticket: { id: string; number: string } } }
	| (ApiErrorShape & { __typename: 'LockedError'; owner: { id: string; name: string } | null })
	| (ApiErrorShape & { __typename: 'ValidationError'; field: string | null })
	| (ApiErrorShape & { __typename: 'ForbiddenError' | 'NotFoundError' })
	| ApiErrorShape;

export type ArticleKind = 'REPLY' | 'NOTE' | 'PHONE';

export const ADD_ARTICLE = ticketMutation('addArticle', 'AddArticleInput', 'AddArticleSuccess', 'result { ticket { id number } }');
export interface AddArticleVariables {
	input: {
		ticketId: string;
		kind: ArticleKind;
		body: string;
		subject?: string | null;
		timeMinutes?: number | null;
		visibleToCustomer?: boolean | null;
		/** Upload ids from POST /attachments (lib/server/attachments.ts) */
		attachmentIds?: string[] | null;
	};
}

export const SET_TICKET_STATE = ticketMutation('setTicketState', 'SetTicketStateInput', 'SetTicketStateSuccess');
export const SET_TICKET_PRIORITY = ticketMutation('setTicketPriority', 'SetTicketPriorityInput', 'SetTicketPrioritySuccess');
export const MOVE_TICKET = ticketMutation('moveTicket', 'MoveTicketInput', 'MoveTicketSuccess');
/** `ownerId: null` clears the owner. */
export const ASSIGN_TICKET = ticketMutation('assignTicket', 'AssignTicketInput', 'AssignTicketSuccess');
/** `responsibleId: null` clears it. */
export const SET_TICKET_RESPONSIBLE = ticketMutation('setTicketResponsible', 'SetTicketResponsibleInput', 'SetTicketResponsibleSuccess');
export const LOCK_TICKET = ticketMutation('lockTicket', 'LockTicketInput', 'LockTicketSuccess');
export const UNLOCK_TICKET = ticketMutation('unlockTicket', 'UnlockTicketInput', 'UnlockTicketSuccess');
export const CLOSE_TICKET = ticketMutation('closeTicket', 'CloseTicketInput', 'CloseTicketSuccess');
// Only the id: the API's StarTicketSuccess currently fails on `ticket { number }` (null for a non-null field).
export const STAR_TICKET = ticketMutation('starTicket', 'StarTicketInput', 'StarTicketSuccess', 'ticket { id }');
export const CREATE_TICKET = ticketMutation('createTicket', 'CreateTicketInput', 'CreateTicketSuccess');
export interface CreateTicketVariables {
	input: {
		queueId: string;
		title: string;
		body: string;
		customerEmail?: string | null;
		customerName?: string | null;
		priorityId?: string | null;
		channel?: 'EMAIL' | 'PHONE' | 'PORTAL' | null;
		sourceUrl?: string | null;
		/** Upload ids from POST /attachments (lib/server/attachments.ts) */
		attachmentIds?: string[] | null;
	};
}

/** Logs "who opened this ticket, when, from which IP and browser" (the API reads IP/UA from headers). */
export const RECORD_TICKET_VIEW = /* GraphQL */ `
	mutation RecordTicketView($input: RecordTicketViewInput!) {
		recordTicketView(input: $input) {
			__typename
			... on RecordTicketViewSuccess { view { id user { name } customerUser { name } viewedAt ip userAgent } }
		}
	}
`;

export interface RecordTicketViewResult {
	recordTicketView: { __typename: string; view?: TicketView };
}

/** Result key of each ticket mutation, to read `data[key]` generically. */
export type TicketMutationResult<K extends string> = { [P in K]: TicketMutationPayload };

// ---- merge / unmerge / custom fields ---------------------------------------------------------------

export const MERGE_TICKETS = ticketMutation('mergeTickets', 'MergeTicketsInput', 'MergeTicketsSuccess');
export const UNMERGE_TICKET = ticketMutation('unmergeTicket', 'UnmergeTicketInput', 'UnmergeTicketSuccess');

/** Resolve a ticket number typed by the agent (merge target) to its id. */
export const TICKET_BY_NUMBER = /* GraphQL */ `
	query TicketByNumber($number: String!) { ticket(number: $number) { id number title } }
`;
export interface TicketByNumberResult {
	ticket: { id: string; number: string; title: string } | null;
}

export const SET_TICKET_CUSTOM_FIELDS = /* GraphQL */ `
	mutation SetTicketCustomFields($ticketId: ID!, $values: [CustomFieldValueInput!]!) {
		setTicketCustomFields(ticketId: $ticketId, values: $values) {
			__typename
			... on SetTicketCustomFieldsSuccess { ticket { id number } }
			... on LockedError { owner { id name } }
			... on ValidationError { field }
			${ERROR_FIELDS}
		}
	}
`;

/** The editable custom fields of the ticket's queue (and those of every queue). */
export const TICKET_FIELD_DEFINITIONS = /* GraphQL */ `
	query TicketFieldDefinitions($queueId: ID) {
		customFieldDefinitions(queueId: $queueId) { id key label type options required }
	}
`;
export interface TicketFieldDefinition {
	id: string;
	key: string;
	label: string;
	type: 'TEXT' | 'TEXTAREA' | 'HTML' | 'DROPDOWN' | 'MULTISELECT' | 'RADIO' | 'CHECKBOXES' | 'DATE' | 'DATETIME';
	options: string[];
	required: boolean;
}
export interface TicketFieldDefinitionsResult {
	customFieldDefinitions: TicketFieldDefinition[];
}
