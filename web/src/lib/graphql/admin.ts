// Tenant administration (read-only for now: the admin pages list what the API has; editing is not built).
import type { TemplateKind } from './lookups.ts';

export const ADMIN_QUEUES = /* GraphQL */ `
	query AdminQueues {
		queues { id name comment active openToCustomers followUpOption unlockTimeoutMinutes ticketPrefix }
	}
`;
export interface AdminQueuesResult {
	queues: {
		id: string;
		name: string;
		comment: string | null;
		active: boolean;
		openToCustomers: boolean;
		followUpOption: 'NEW_TICKET' | 'POSSIBLE' | 'REJECT';
		unlockTimeoutMinutes: number | null;
		ticketPrefix: string | null;
	}[];
}

export const ADMIN_AGENTS = /* GraphQL */ `
	query AdminAgents { agents(includeInactive: true) { id name email admin active } }
`;
export interface AdminAgentsResult {
	agents: { id: string; name: string; email: string; admin: boolean; active: boolean }[];
}

export const ADMIN_TEMPLATES = /* GraphQL */ `
	query AdminTemplates { templates { id name kind body } }
`;
export interface AdminTemplatesResult {
	templates: { id: string; name: string; kind: TemplateKind; body: string }[];
}

// ---- Editing (tenant admin) ----------------------------------------------------------------

export type FollowUpOption = 'NEW_TICKET' | 'POSSIBLE' | 'REJECT';
export const QUEUE_PERMISSIONS = ['RO', 'MOVE_INTO', 'CREATE', 'NOTE', 'OWNER', 'PRIORITY', 'RW'] as const;
export type QueuePermissionKind = (typeof QUEUE_PERMISSIONS)[number];
export const API_KEY_SCOPES = ['TICKETS_READ', 'TICKETS_WRITE', 'ADMIN'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The union members every admin mutation may answer with (besides its success type). */
const ERRORS = /* GraphQL */ `
	... on ValidationError { code message field }
	... on Error { code message }
`;
export type AdminError = { __typename: 'ValidationError'; code: string; message: string; field: string | null } | { __typename: 'ConflictError' | 'NotFoundError' | 'ForbiddenError'; code: string; message: string };

const QUEUE_FIELDS = `id name comment active openToCustomers followUpOption followUpLock unlockTimeoutMinutes ticketPrefix salutation signature systemAddress`;
export interface AdminQueue {
	id: string;
	name: string;
	comment: string | null;
	active: boolean;
	openToCustomers: boolean;
	followUpOption: FollowUpOption;
	followUpLock: boolean;
	unlockTimeoutMinutes: number | null;
	ticketPrefix: string | null;
	salutation: string | null;
	signature: string | null;
	systemAddress: string | null;
}
export const ADMIN_QUEUES_FULL = /* GraphQL */ `query AdminQueuesFull { queues { ${QUEUE_FIELDS} } roles { id name } }`;
export interface AdminQueuesFullResult {
	queues: AdminQueue[];
	roles: { id: string; name: string }[];
}
export interface QueueInput {
	name: string;
	comment: string | null;
	ticketPrefix: string | null;
	followUpOption: FollowUpOption;
	followUpLock: boolean;
	unlockTimeoutMinutes: number | null;
	salutation: string | null;
	signature: string | null;
	systemAddress: string | null;
	openToCustomers: boolean;
	active: boolean;
	rwRoleIds?: string[];
}
export const CREATE_QUEUE = /* GraphQL */ `mutation CreateQueue($input: CreateQueueInput!) {
	createQueue(input: $input) { __typename ... on CreateQueueSuccess { queue { id } } ${ERRORS} } }`;
export const UPDATE_QUEUE = /* GraphQL */ `mutation UpdateQueue($input: UpdateQueueInput!) {
	updateQueue(input: $input) { __typename ... on UpdateQueueSuccess { queue { id } } ${ERRORS} } }`;
export type QueueMutationResult = { __typename: 'CreateQueueSuccess' | 'UpdateQueueSuccess'; queue: { id: string } } | AdminError;

export interface AdminRole {
	id: string;
	name: string;
	agents: { id: string; name: string }[];
	permissions: { queue: { id: string }; permissions: QueuePermissionKind[] }[];
}
export const ADMIN_ROLES = /* GraphQL */ `query AdminRoles {
	roles { id name agents { id name } permissions { queue { id } permissions } }
	queues { id name active }
}`;
export interface AdminRolesResult {
	roles: AdminRole[];
	queues: { id: string; name: string; active: boolean }[];
}
export const CREATE_ROLE = /* GraphQL */ `mutation CreateRole($name: String!) {
	createRole(name: $name) { __typename ... on CreateRoleSuccess { role { id } } ${ERRORS} } }`;
export const SET_ROLE_PERMISSIONS = /* GraphQL */ `mutation SetRolePermissions($roleId: ID!, $queues: [QueuePermissionInput!]!) {
	setRolePermissions(roleId: $roleId, queues: $queues) { __typename ... on SetRolePermissionsSuccess { role { id } } ${ERRORS} } }`;
export type RoleMutationResult = { __typename: 'CreateRoleSuccess' | 'SetRolePermissionsSuccess'; role: { id: string } } | AdminError;

export interface AdminAgent {
	id: string;
	name: string;
	email: string;
	admin: boolean;
	active: boolean;
	roles: { id: string; name: string }[];
}
export const ADMIN_AGENTS_FULL = /* GraphQL */ `query AdminAgentsFull {
	agents(includeInactive: true) { id name email admin active roles { id name } }
	roles { id name }
}`;
export interface AdminAgentsFullResult {
	agents: AdminAgent[];
	roles: { id: string; name: string }[];
}
export const CREATE_AGENT = /* GraphQL */ `mutation CreateAgent($input: CreateAgentInput!) {
	createAgent(input: $input) { __typename ... on CreateAgentSuccess { agent { id } } ${ERRORS} } }`;
export const UPDATE_AGENT = /* GraphQL */ `mutation UpdateAgent($input: UpdateAgentInput!) {
	updateAgent(input: $input) { __typename ... on UpdateAgentSuccess { agent { id } } ${ERRORS} } }`;
export type AgentMutationResult = { __typename: 'CreateAgentSuccess' | 'UpdateAgentSuccess'; agent: { id: string } } | AdminError;

export interface AdminApiKey {
	id: string;
	name: string;
	prefix: string;
	scopes: ApiKeyScope[];
	createdAt: string;
	lastUsedAt: string | null;
	revokedAt: string | null;
}
export const ADMIN_API_KEYS = /* GraphQL */ `query AdminApiKeys { apiKeys { id name prefix scopes createdAt lastUsedAt revokedAt } }`;
export interface AdminApiKeysResult {
	apiKeys: AdminApiKey[];
}
export const CREATE_API_KEY = /* GraphQL */ `mutation CreateApiKey($input: CreateApiKeyInput!) {
	createApiKey(input: $input) { __typename ... on CreateApiKeySuccess { created { secret apiKey { id name } } } ${ERRORS} } }`;
export type CreateApiKeyResult = { __typename: 'CreateApiKeySuccess'; created: { secret: string; apiKey: { id: string; name: string } } } | AdminError;
export const REVOKE_API_KEY = /* GraphQL */ `mutation RevokeApiKey($id: ID!) {
	revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { id } } ${ERRORS} } }`;
export type RevokeApiKeyResult = { __typename: 'RevokeApiKeySuccess'; apiKey: { id: string } } | AdminError;

export type StateType = 'NEW' | 'OPEN' | 'PENDING_REMINDER' | 'PENDING_AUTO_CLOSE' | 'CLOSED' | 'MERGED' | 'REMOVED';
export const STATE_TYPES: StateType[] = ['NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE', 'CLOSED', 'MERGED', 'REMOVED'];
export const ADMIN_LOOKUPS = /* GraphQL */ `query AdminLookups {
	ticketStates { id name type }
	priorities { id name level color }
	ticketTypes { id name }
}`;
export interface AdminLookupsResult {
	ticketStates: { id: string; name: string; type: StateType }[];
	priorities: { id: string; name: string; level: number; color: string | null }[];
	ticketTypes: { id: string; name: string }[];
}
export const SAVE_TICKET_STATE = /* GraphQL */ `mutation SaveTicketState($id: ID, $name: String!, $type: StateType, $active: Boolean) {
	saveTicketState(id: $id, name: $name, type: $type, active: $active) { __typename ... on SaveTicketStateSuccess { state { id } } ${ERRORS} } }`;
export const SAVE_PRIORITY = /* GraphQL */ `mutation SavePriority($id: ID, $name: String!, $level: Int, $color: String, $active: Boolean) {
	savePriority(id: $id, name: $name, level: $level, color: $color, active: $active) { __typename ... on SavePrioritySuccess { priority { id } } ${ERRORS} } }`;
export const SAVE_TICKET_TYPE = /* GraphQL */ `mutation SaveTicketType($id: ID, $name: String!, $active: Boolean) {
	saveTicketType(id: $id, name: $name, active: $active) { __typename ... on SaveTicketTypeSuccess { ticketType { id } } ${ERRORS} } }`;
export type SaveResult = { __typename: `${string}Success` } | AdminError;

export type TemplateKindName = 'ANSWER' | 'CREATE' | 'FORWARD' | 'NOTE' | 'SNIPPET';
export const TEMPLATE_KINDS: TemplateKindName[] = ['ANSWER', 'NOTE', 'CREATE', 'FORWARD', 'SNIPPET'];
export const SAVE_TEMPLATE = /* GraphQL */ `mutation SaveTemplate($id: ID, $name: String!, $kind: TemplateKindInput, $body: String, $active: Boolean) {
	saveTemplate(id: $id, name: $name, kind: $kind, body: $body, active: $active) { __typename ... on SaveTemplateSuccess { template { id } } ${ERRORS} } }`;

export type CustomFieldType = 'TEXT' | 'TEXTAREA' | 'HTML' | 'DROPDOWN' | 'MULTISELECT' | 'RADIO' | 'CHECKBOXES' | 'DATE' | 'DATETIME';
export const CUSTOM_FIELD_TYPES: CustomFieldType[] = ['TEXT', 'TEXTAREA', 'HTML', 'DROPDOWN', 'MULTISELECT', 'RADIO', 'CHECKBOXES', 'DATE', 'DATETIME'];
export const OPTION_TYPES: CustomFieldType[] = ['DROPDOWN', 'MULTISELECT', 'RADIO', 'CHECKBOXES'];
export interface AdminCustomField {
	id: string;
	key: string;
	label: string;
	type: CustomFieldType;
	options: string[];
	required: boolean;
	visibleToCustomer: boolean;
	queue: { id: string; name: string } | null;
}
export const ADMIN_CUSTOM_FIELDS = /* GraphQL */ `query AdminCustomFields {
	customFieldDefinitions { id key label type options required visibleToCustomer queue { id name } }
	queues { id name }
}`;
export interface AdminCustomFieldsResult {
	customFieldDefinitions: AdminCustomField[];
	queues: { id: string; name: string }[];
}
export const SAVE_CUSTOM_FIELD = /* GraphQL */ `mutation SaveCustomField($input: SaveCustomFieldInput!) {
	saveCustomField(input: $input) { __typename ... on SaveCustomFieldSuccess { customField { id } } ${ERRORS} } }`;

export const CREATE_CUSTOMER = /* GraphQL */ `mutation CreateCustomer($input: CreateCustomerInput!) {
	createCustomer(input: $input) { __typename ... on CreateCustomerSuccess { customer { id name } } ${ERRORS} } }`;
export type CreateCustomerResult = { __typename: 'CreateCustomerSuccess'; customer: { id: string; name: string } } | AdminError;
