// Billing operations: the portal's incidents and pack purchase, the tenant admin's support plans,
// packs, grants, Stripe Connect and platform plan, and the provider console's tenants.
import { ERROR_FIELDS, type ApiErrorShape } from './common.ts';

export type PlanMode = 'FREE' | 'PER_REQUEST' | 'PREPAID';
export type PackKind = 'LIFETIME' | 'PERIOD';
export type EntryKind = 'GRANT_PURCHASE' | 'GRANT_MANUAL' | 'GRANT_REGISTRATION' | 'CONSUME' | 'REFUND' | 'EXPIRE' | 'PER_REQUEST_CHARGE';

export interface SupportPlan {
	id: string;
	name: string;
	mode: PlanMode;
	perRequestCents: number | null;
	registrationIncidents: number;
	isDefault: boolean;
	active: boolean;
}
export interface IncidentPack {
	id: string;
	name: string;
	incidents: number;
	kind: PackKind;
	periodDays: number | null;
	priceCents: number;
	currency: string;
	active: boolean;
}
export interface LedgerEntry {
	id: string;
	kind: EntryKind;
	delta: number;
	lotId: string;
	expiresAt: string | null;
	ticketId: string | null;
	packId: string | null;
	amountCents: number | null;
	currency: string | null;
	reason: string | null;
	createdAt: string;
}
export interface IncidentStatement {
	customerId: string;
	customerName: string;
	customerEmail: string;
	ownPlanId: string | null;
	balance: number;
	plan: SupportPlan | null;
	entries: LedgerEntry[];
}

const PLAN = `id name mode perRequestCents registrationIncidents isDefault active`;
const PACK = `id name incidents kind periodDays priceCents currency active`;
const STATEMENT = `customerId customerName customerEmail ownPlanId balance plan { ${PLAN} } entries { id kind delta lotId expiresAt ticketId packId amountCents currency reason createdAt }`;

// --- portal ----------------------------------------------------------------------------------
export const MY_INCIDENTS = /* GraphQL */ `query MyIncidents { myIncidents { ${STATEMENT} } incidentPacks { ${PACK} } }`;
export interface MyIncidentsResult {
	myIncidents: IncidentStatement;
	incidentPacks: IncidentPack[];
}

export const BUY_PACK = /* GraphQL */ `mutation BuyIncidentPack($packId: ID!) {
	buyIncidentPack(packId: $packId) { __typename ... on BuyIncidentPackSuccess { checkout { id url } } ${ERROR_FIELDS} }
}`;
export type BuyPackResult = { buyIncidentPack: { __typename: 'BuyIncidentPackSuccess'; checkout: { id: string; url: string } } | ApiErrorShape };

export const CONFIRM_CHECKOUT = /* GraphQL */ `mutation ConfirmIncidentCheckout($sessionId: String!) {
	confirmIncidentCheckout(sessionId: $sessionId) {
		__typename ... on ConfirmIncidentCheckoutSuccess { checkout { sessionId status paid granted packName incidents } } ${ERROR_FIELDS}
	}
}`;
export interface CheckoutStatus {
	sessionId: string;
	status: string;
	paid: boolean;
	granted: boolean;
	packName: string | null;
	incidents: number | null;
}
export type ConfirmCheckoutResult = {
	confirmIncidentCheckout: { __typename: 'ConfirmIncidentCheckoutSuccess'; checkout: CheckoutStatus } | ApiErrorShape;
};
export const MY_BALANCE = /* GraphQL */ `query MyIncidentBalance { myIncidents { balance } }`;
export interface MyBalanceResult {
	myIncidents: { balance: number };
}

/** For the new-ticket form: which queues need an incident and whether I can open a ticket there. */
export const INCIDENT_QUEUE_IDS = /* GraphQL */ `query IncidentQueues { incidentQueueIds myIncidents { balance } }`;
export interface IncidentQueuesResult {
	incidentQueueIds: string[];
	myIncidents: { balance: number };
}
/** One `canOpenTicketIn` per queue (aliases q0…qn). */
export function canOpenQuery(queueIds: string[]) {
	const vars = queueIds.map((_, i) => `$q${i}: ID!`).join(', ');
	const fields = queueIds.map((_, i) => `q${i}: canOpenTicketIn(queueId: $q${i})`).join(' ');
	return { query: `query CanOpen(${vars}) { ${fields} }`, variables: Object.fromEntries(queueIds.map((id, i) => [`q${i}`, id])) };
}

// --- tenant admin ----------------------------------------------------------------------------
export interface BillingSettings {
	consumeOn: 'ON_CREATE' | 'ON_FIRST_REPLY';
	stripeAccountId: string | null;
	stripeChargesEnabled: boolean;
	currency: string;
}
export const ADMIN_BILLING = /* GraphQL */ `query AdminBilling {
	billingSettings { consumeOn stripeAccountId stripeChargesEnabled currency }
	supportPlans { ${PLAN} }
	incidentPacks { ${PACK} }
	incidentQueueIds
	queues { id name }
}`;
export interface AdminBillingResult {
	billingSettings: BillingSettings;
	supportPlans: SupportPlan[];
	incidentPacks: IncidentPack[];
	incidentQueueIds: string[];
	queues: { id: string; name: string }[];
}

export const CUSTOMER_INCIDENTS = /* GraphQL */ `query CustomerIncidentsByEmail($email: String!) { customerIncidentsByEmail(email: $email) { ${STATEMENT} } }`;
export interface CustomerIncidentsResult {
	customerIncidentsByEmail: IncidentStatement | null;
}

type Union<S extends string, F extends string, T> = { [K in F]: ({ __typename: S } & T) | (ApiErrorShape & { field?: string | null }) };

export const SAVE_PLAN = /* GraphQL */ `mutation SaveSupportPlan($input: SupportPlanInput!) {
	saveSupportPlan(input: $input) { __typename ... on SaveSupportPlanSuccess { supportPlan { id name } } ... on ValidationError { field } ${ERROR_FIELDS} }
}`;
export type SavePlanResult = Union<'SaveSupportPlanSuccess', 'saveSupportPlan', { supportPlan: { id: string; name: string } }>;

export const SAVE_PACK = /* GraphQL */ `mutation SaveIncidentPack($input: IncidentPackInput!) {
	saveIncidentPack(input: $input) { __typename ... on SaveIncidentPackSuccess { incidentPack { id name } } ... on ValidationError { field } ${ERROR_FIELDS} }
}`;
export type SavePackResult = Union<'SaveIncidentPackSuccess', 'saveIncidentPack', { incidentPack: { id: string; name: string } }>;

export const UPDATE_SETTINGS = /* GraphQL */ `mutation UpdateBillingSettings($input: BillingSettingsInput!) {
	updateBillingSettings(input: $input) { __typename ... on UpdateBillingSettingsSuccess { settings { consumeOn } } ... on ValidationError { field } ${ERROR_FIELDS} }
}`;
export type UpdateSettingsResult = Union<'UpdateBillingSettingsSuccess', 'updateBillingSettings', { settings: { consumeOn: string } }>;

export const SET_QUEUE_INCIDENT = /* GraphQL */ `mutation SetQueueRequiresIncident($queueId: ID!, $requiresIncident: Boolean!) {
	setQueueRequiresIncident(queueId: $queueId, requiresIncident: $requiresIncident) { __typename ... on ValidationError { field } ${ERROR_FIELDS} }
}`;
export type SetQueueIncidentResult = Union<'SetQueueRequiresIncidentSuccess', 'setQueueRequiresIncident', object>;

export const GRANT = /* GraphQL */ `mutation GrantIncidents($input: GrantIncidentsInput!) {
	grantIncidents(input: $input) { __typename ... on GrantIncidentsSuccess { ledgerEntry { id delta } } ... on ValidationError { field } ${ERROR_FIELDS} }
}`;
export type GrantResult = Union<'GrantIncidentsSuccess', 'grantIncidents', { ledgerEntry: { id: string; delta: number } }>;

export const SET_CUSTOMER_PLAN = /* GraphQL */ `mutation SetCustomerSupportPlan($customerId: ID!, $planId: ID) {
	setCustomerSupportPlan(customerId: $customerId, planId: $planId) { __typename ... on ValidationError { field } ${ERROR_FIELDS} }
}`;
export type SetCustomerPlanResult = Union<'SetCustomerSupportPlanSuccess', 'setCustomerSupportPlan', object>;

export const CONNECT_STRIPE = /* GraphQL */ `mutation ConnectStripeAccount {
	connectStripeAccount { __typename ... on ConnectStripeAccountSuccess { onboarding { id url } } ${ERROR_FIELDS} }
}`;
export type ConnectStripeResult = { connectStripeAccount: { __typename: 'ConnectStripeAccountSuccess'; onboarding: { id: string; url: string } } | ApiErrorShape };

// --- platform plan (tenant admin) ------------------------------------------------------------
export interface PlanUsage {
	plan: string;
	status: string | null;
	agents: number;
	agentsLimit: number;
	ticketsThisMonth: number;
	ticketsPerMonthLimit: number;
	storageMb: number;
	storageMbLimit: number;
	overLimit: boolean;
	canAddAgent: boolean;
}
export const PLAN_USAGE = /* GraphQL */ `query PlanUsage { planUsage { plan status agents agentsLimit ticketsThisMonth ticketsPerMonthLimit storageMb storageMbLimit overLimit canAddAgent } }`;
export interface PlanUsageResult {
	planUsage: PlanUsage;
}
export const PLAN_CHECKOUT = /* GraphQL */ `mutation StartPlanCheckout($plan: String!) {
	startPlanCheckout(plan: $plan) { __typename ... on StartPlanCheckoutSuccess { checkout { url } } ${ERROR_FIELDS} }
}`;
export type PlanCheckoutResult = { startPlanCheckout: { __typename: 'StartPlanCheckoutSuccess'; checkout: { url: string } } | ApiErrorShape };
export const PLAN_PORTAL = /* GraphQL */ `mutation PlanPortalLink { planPortalLink { __typename ... on PlanPortalLinkSuccess { portal { url } } ${ERROR_FIELDS} } }`;
export type PlanPortalResult = { planPortalLink: { __typename: 'PlanPortalLinkSuccess'; portal: { url: string } } | ApiErrorShape };

// --- provider console ------------------------------------------------------------------------
export interface TenantLimits {
	agents: number;
	ticketsPerMonth: number;
	storageMb: number;
}
export interface ProviderTenant {
	id: string;
	slug: string;
	name: string;
	plan: string;
	suspended: boolean;
	createdAt: string;
	usage: {
		agents: number;
		ticketsThisMonth: number;
		storageMb: number;
		overLimit: boolean;
		limits: TenantLimits;
		overrides: { agents: number | null; ticketsPerMonth: number | null; storageMb: number | null } | null;
	};
}
export const PROVIDER_TENANTS = /* GraphQL */ `query ProviderTenants { tenants { id slug name plan suspended createdAt
	usage { agents ticketsThisMonth storageMb overLimit limits { agents ticketsPerMonth storageMb } overrides { agents ticketsPerMonth storageMb } } } }`;
export interface ProviderTenantsResult {
	tenants: ProviderTenant[];
}
export const CHANGE_TENANT_PLAN = /* GraphQL */ `mutation ChangeTenantPlan($tenantId: ID!, $plan: String!, $limits: TenantLimitsInput) {
	changeTenantPlan(tenantId: $tenantId, plan: $plan, limits: $limits) { __typename ... on ChangeTenantPlanSuccess { tenant { slug } } ... on ValidationError { field } ${ERROR_FIELDS} }
}`;
export type ChangeTenantPlanResult = Union<'ChangeTenantPlanSuccess', 'changeTenantPlan', { tenant: { slug: string } }>;
export const SUSPEND_TENANT = /* GraphQL */ `mutation SuspendTenant($tenantId: ID!, $reason: String) {
	suspendTenant(tenantId: $tenantId, reason: $reason) { __typename ... on SuspendTenantSuccess { tenant { slug } } ${ERROR_FIELDS} }
}`;
export type SuspendTenantResult = Union<'SuspendTenantSuccess', 'suspendTenant', { tenant: { slug: string } }>;
export const RESUME_TENANT = /* GraphQL */ `mutation ResumeTenant($tenantId: ID!) {
	resumeTenant(tenantId: $tenantId) { __typename ... on ResumeTenantSuccess { tenant { slug } } ${ERROR_FIELDS} }
}`;
export type ResumeTenantResult = Union<'ResumeTenantSuccess', 'resumeTenant', { tenant: { slug: string } }>;
