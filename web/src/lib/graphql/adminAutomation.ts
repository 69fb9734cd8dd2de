// Tenant admin of business calendars, SLAs, automation rules and webhooks (area adminAutomation).
import type { AdminError } from './admin.ts';

const ERRORS = /* GraphQL */ `
	... on ValidationError { code message field }
	... on Error { code message }
`;
/** For unions without ValidationError (a fragment on a type outside the union is a query error). */
const OTHER_ERRORS = /* GraphQL */ `... on Error { code message }`;
type Result<S extends string, K extends string, T = { id: string }> = ({ __typename: S } & Record<K, T>) | AdminError;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Interval = { start: string; end: string };
export type Holiday = { date: string; name?: string } | { month: number; day: number; name?: string };

// ---- Calendars -------------------------------------------------------------------------------

export interface AdminCalendar {
	id: string;
	name: string;
	timeZone: string;
	week: Partial<Record<Weekday, Interval[]>>;
	holidays: Holiday[];
}
export const ADMIN_CALENDARS = /* GraphQL */ `query AdminCalendars { calendars { id name timeZone week holidays } slas { id name calendar { id } } }`;
export interface AdminCalendarsResult {
	calendars: AdminCalendar[];
	slas: { id: string; name: string; calendar: { id: string } | null }[];
}
export interface CalendarInput {
	id?: string;
	name: string;
	timeZone: string;
	week: Partial<Record<Weekday, Interval[]>>;
	holidays: Holiday[];
}
export const SAVE_CALENDAR = /* GraphQL */ `mutation SaveCalendar($input: SaveCalendarInput!) {
	saveCalendar(input: $input) { __typename ... on SaveCalendarSuccess { calendar { id } } ${ERRORS} }
}`;
export type SaveCalendarResult = Result<'SaveCalendarSuccess', 'calendar'>;
export const DELETE_CALENDAR = /* GraphQL */ `mutation DeleteCalendar($id: ID!) {
	deleteCalendar(id: $id) { __typename ... on DeleteCalendarSuccess { calendar { id } } ${OTHER_ERRORS} }
}`;
export type DeleteCalendarResult = Result<'DeleteCalendarSuccess', 'calendar'>;

// ---- SLAs ------------------------------------------------------------------------------------

export type SlaNotify = 'assigned' | 'queue' | 'none';
export type SlaAction = { type: 'raise_priority' } | { type: 'move_queue'; queueId: string } | { type: 'set_responsible'; userId: string };
export interface SlaActions {
	warning?: SlaAction[];
	breach?: SlaAction[];
	notify?: SlaNotify;
}
export interface AdminSla {
	id: string;
	name: string;
	calendar: { id: string; name: string } | null;
	firstResponseMinutes: number | null;
	updateMinutes: number | null;
	solutionMinutes: number | null;
	warnPercent: number | null;
	actions: SlaActions;
	assignments: { id: string; queueId: string | null; priorityId: string | null; ticketTypeId: string | null; companyId: string | null }[];
}
export const ADMIN_SLAS = /* GraphQL */ `query AdminSlas {
	slas { id name calendar { id name } firstResponseMinutes updateMinutes solutionMinutes warnPercent actions assignments { id queueId priorityId ticketTypeId companyId } }
	calendars { id name }
	queues { id name }
	priorities { id name }
	ticketTypes { id name }
	agents { id name }
}`;
export interface AdminSlasResult {
	slas: AdminSla[];
	calendars: { id: string; name: string }[];
	queues: { id: string; name: string }[];
	priorities: { id: string; name: string }[];
	ticketTypes: { id: string; name: string }[];
	agents: { id: string; name: string }[];
}
export interface SlaInput {
	id?: string;
	name: string;
	calendarId: string | null;
	firstResponseMinutes: number | null;
	updateMinutes: number | null;
	solutionMinutes: number | null;
	warnPercent: number | null;
	actions: Required<SlaActions>;
}
export const CREATE_SLA = /* GraphQL */ `mutation CreateSla($input: CreateSlaInput!) {
	createSla(input: $input) { __typename ... on CreateSlaSuccess { sla { id } } ${ERRORS} }
}`;
export const UPDATE_SLA = /* GraphQL */ `mutation UpdateSla($input: UpdateSlaInput!) {
	updateSla(input: $input) { __typename ... on UpdateSlaSuccess { sla { id } } ${ERRORS} }
}`;
export const DELETE_SLA = /* GraphQL */ `mutation DeleteSla($id: ID!) {
	deleteSla(id: $id) { __typename ... on DeleteSlaSuccess { sla { id } } ${OTHER_ERRORS} }
}`;
export type SlaResult = Result<'CreateSlaSuccess' | 'UpdateSlaSuccess' | 'DeleteSlaSuccess', 'sla'>;
export const ASSIGN_SLA = /* GraphQL */ `mutation AssignSla($input: AssignSlaInput!) {
	assignSla(input: $input) { __typename ... on AssignSlaSuccess { assignment { id } } ${ERRORS} }
}`;
export const REMOVE_SLA_ASSIGNMENT = /* GraphQL */ `mutation RemoveSlaAssignment($id: ID!) {
	removeSlaAssignment(id: $id) { __typename ... on RemoveSlaAssignmentSuccess { assignment { id } } ${OTHER_ERRORS} }
}`;
export type AssignmentResult = Result<'AssignSlaSuccess' | 'RemoveSlaAssignmentSuccess', 'assignment'>;

// ---- Automation rules ------------------------------------------------------------------------

export const AUTOMATION_TRIGGERS = ['TICKET_CREATED', 'ARTICLE_ADDED', 'STATE_CHANGED', 'SLA_WARNING', 'SLA_BREACH', 'SCHEDULE'] as const;
export type AutomationTrigger = (typeof AUTOMATION_TRIGGERS)[number];
export type RuleCondition = { field: string; equals?: string; value?: string; key?: string; atLeast?: number };
export type RuleAction = { type: string; queueId?: string; priorityId?: string; stateId?: string; userId?: string | null; body?: string; subject?: string; webhookId?: string };
export interface AdminRule {
	id: string;
	name: string;
	active: boolean;
	position: number;
	triggers: AutomationTrigger[];
	conditions: RuleCondition[];
	anyConditions: RuleCondition[];
	actions: RuleAction[];
	updatedAt: string;
}
export const ADMIN_RULES = /* GraphQL */ `query AdminRules {
	automationRules { id name active position triggers conditions anyConditions actions updatedAt }
	queues { id name }
	priorities { id name }
	ticketStates { id name type }
	ticketTypes { id name }
	agents { id name }
	webhooks { id url active }
}`;
export interface AdminRulesResult {
	automationRules: AdminRule[];
	queues: { id: string; name: string }[];
	priorities: { id: string; name: string }[];
	ticketStates: { id: string; name: string; type: string }[];
	ticketTypes: { id: string; name: string }[];
	agents: { id: string; name: string }[];
	webhooks: { id: string; url: string; active: boolean }[];
}
export interface RuleInput {
	id?: string;
	name: string;
	active: boolean;
	position: number;
	triggers: AutomationTrigger[];
	conditions: RuleCondition[];
	anyConditions: RuleCondition[];
	actions: RuleAction[];
}
export const SAVE_RULE = /* GraphQL */ `mutation SaveAutomationRule($input: SaveAutomationRuleInput!) {
	saveAutomationRule(input: $input) { __typename ... on SaveAutomationRuleSuccess { rule { id } } ${ERRORS} }
}`;
export const DELETE_RULE = /* GraphQL */ `mutation DeleteAutomationRule($id: ID!) {
	deleteAutomationRule(id: $id) { __typename ... on DeleteAutomationRuleSuccess { rule { id } } ${OTHER_ERRORS} }
}`;
export type RuleResult = Result<'SaveAutomationRuleSuccess' | 'DeleteAutomationRuleSuccess', 'rule'>;
export const RULE_RUNS = /* GraphQL */ `query AutomationRuleRuns($id: ID!) {
	automationRule(id: $id) { id name active triggers runs(first: 50) { id ticketId ticketNumber ticketTitle changed createdAt } }
}`;
export interface RuleRunsResult {
	automationRule: { id: string; name: string; active: boolean; triggers: AutomationTrigger[]; runs: { id: string; ticketId: string; ticketNumber: string; ticketTitle: string; changed: string[]; createdAt: string }[] } | null;
}

// ---- Webhooks --------------------------------------------------------------------------------

export const WEBHOOK_EVENTS = ['TICKET_CREATED', 'TICKET_UPDATED', 'ARTICLE_ADDED', 'TICKET_LOCKED', 'TICKET_UNLOCKED', 'TICKET_MERGED', 'SLA_WARNING', 'SLA_BREACH', 'PENDING_REMINDER'] as const;
export interface AdminWebhook {
	id: string;
	url: string;
	events: string[];
	active: boolean;
	createdAt: string;
}
export const ADMIN_WEBHOOKS = /* GraphQL */ `query AdminWebhooks { webhooks { id url events active createdAt } }`;
export interface AdminWebhooksResult {
	webhooks: AdminWebhook[];
}
export const CREATE_WEBHOOK = /* GraphQL */ `mutation CreateWebhook($input: CreateWebhookInput!) {
	createWebhook(input: $input) { __typename ... on CreateWebhookSuccess { created { secret webhook { id url } } } ${ERRORS} }
}`;
export type CreateWebhookResult = Result<'CreateWebhookSuccess', 'created', { secret: string; webhook: { id: string; url: string } }>;
export const UPDATE_WEBHOOK = /* GraphQL */ `mutation UpdateWebhook($input: UpdateWebhookInput!) {
	updateWebhook(input: $input) { __typename ... on UpdateWebhookSuccess { webhook { id } } ${ERRORS} }
}`;
export const DELETE_WEBHOOK = /* GraphQL */ `mutation DeleteWebhook($id: ID!) {
	deleteWebhook(id: $id) { __typename ... on DeleteWebhookSuccess { webhook { id } } ${OTHER_ERRORS} }
}`;
export type WebhookResult = Result<'UpdateWebhookSuccess' | 'DeleteWebhookSuccess', 'webhook'>;
export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';
export interface WebhookDelivery {
	id: string;
	eventId: string;
	eventKind: string;
	status: DeliveryStatus;
	attempts: number;
	lastStatusCode: number | null;
	lastError: string | null;
	createdAt: string;
	deliveredAt: string | null;
}
export const WEBHOOK_LOG = /* GraphQL */ `query WebhookLog($id: ID!) {
	webhook(id: $id) { id url events active deliveries(first: 100) { id eventId eventKind status attempts lastStatusCode lastError createdAt deliveredAt } }
}`;
export interface WebhookLogResult {
	webhook: (AdminWebhook & { deliveries: WebhookDelivery[] }) | null;
}
export const REDELIVER = /* GraphQL */ `mutation RedeliverWebhookDelivery($id: ID!) {
	redeliverWebhookDelivery(id: $id) { __typename ... on RedeliverWebhookDeliverySuccess { delivery { id status } } ${OTHER_ERRORS} }
}`;
export type RedeliverResult = Result<'RedeliverWebhookDeliverySuccess', 'delivery'>;

// ---- Queue auto-assignment -------------------------------------------------------------------

export const AUTO_ASSIGN_STRATEGIES = ['ROUND_ROBIN', 'LEAST_LOADED'] as const;
export type AutoAssignStrategy = (typeof AUTO_ASSIGN_STRATEGIES)[number];
export const QUEUE_AUTO_ASSIGN = /* GraphQL */ `query QueueAutoAssign { queues { id autoAssign } }`;
export interface QueueAutoAssignResult {
	queues: { id: string; autoAssign: AutoAssignStrategy | null }[];
}
export const SET_QUEUE_AUTO_ASSIGN = /* GraphQL */ `mutation SetQueueAutoAssign($queueId: ID!, $strategy: AutoAssignStrategy) {
	setQueueAutoAssign(queueId: $queueId, strategy: $strategy) { __typename ... on SetQueueAutoAssignSuccess { queue { id } } ${OTHER_ERRORS} }
}`;
export type SetAutoAssignResult = Result<'SetQueueAutoAssignSuccess', 'queue'>;
