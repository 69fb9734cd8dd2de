// Tenant admin: mail accounts, SMTP, system addresses, PostMaster filters, auto-responses, the
// failed-mail log and branding (api/src/mail/mail-admin*.graphql.ts, api/src/branding/).
import type { AdminError } from './admin.ts';

const ERRORS = /* GraphQL */ `
	... on ValidationError { code message field }
	... on Error { code message }
`;
/** A mutation's union result: the success type with its data field, or an admin error. */
export type Result<K extends string, T> = ({ __typename: `${string}Success` } & Record<K, T>) | AdminError;

export interface QueueOption { id: string; name: string; active: boolean }

// ---- Mail accounts and SMTP -----------------------------------------------------------------

export interface MailAccount {
	id: string; host: string; port: number; secure: boolean; username: string; mailbox: string;
	afterFetch: 'DELETE' | 'MARK_SEEN'; queueId: string | null; active: boolean; lastPolledAt: string | null; lastError: string | null;
}
export interface MailSettings { smtpHost: string | null; smtpPort: number | null; smtpSecure: boolean; smtpUser: string | null }
export const MAIL_ACCOUNTS = /* GraphQL */ `query AdminMailAccounts {
	mailAccounts { id host port secure username mailbox afterFetch queueId active lastPolledAt lastError }
	mailSettings { smtpHost smtpPort smtpSecure smtpUser }
	queues { id name active }
}`;
export interface MailAccountsResult { mailAccounts: MailAccount[]; mailSettings: MailSettings | null; queues: QueueOption[] }

export const CREATE_MAIL_ACCOUNT = /* GraphQL */ `mutation CreateMailAccount($input: CreateMailAccountInput!) {
	createMailAccount(input: $input) { __typename ... on CreateMailAccountSuccess { mailAccount { id } } ${ERRORS} } }`;
export const UPDATE_MAIL_ACCOUNT = /* GraphQL */ `mutation UpdateMailAccount($id: ID!, $input: UpdateMailAccountInput!) {
	updateMailAccount(id: $id, input: $input) { __typename ... on UpdateMailAccountSuccess { mailAccount { id } } ${ERRORS} } }`;
export const DELETE_MAIL_ACCOUNT = /* GraphQL */ `mutation DeleteMailAccount($id: ID!) {
	deleteMailAccount(id: $id) { __typename ... on DeleteMailAccountSuccess { mailAccount { id } } ${ERRORS} } }`;
export interface ConnectionTest { ok: boolean; message: string; elapsedMs: number }
export const TEST_MAIL_ACCOUNT = /* GraphQL */ `mutation TestMailAccount($id: ID!) {
	testMailAccount(id: $id) { __typename ... on TestMailAccountSuccess { test { ok message elapsedMs } } ${ERRORS} } }`;
export const UPDATE_SMTP = /* GraphQL */ `mutation UpdateSmtp($input: UpdateMailSettingsInput!) {
	updateMailSettings(input: $input) { __typename ... on UpdateMailSettingsSuccess { mailSettings { smtpHost } } ${ERRORS} } }`;
export const TEST_SMTP = /* GraphQL */ `mutation TestSmtp {
	testSmtpSettings { __typename ... on TestSmtpSettingsSuccess { test { ok message elapsedMs } } ${ERRORS} } }`;

// ---- System addresses -----------------------------------------------------------------------

export interface SystemAddress { id: string; address: string; displayName: string | null; queueId: string; verified: boolean }
export const SYSTEM_ADDRESSES = /* GraphQL */ `query AdminSystemAddresses {
	systemAddresses { id address displayName queueId verified }
	queues { id name active systemAddress }
}`;
export interface SystemAddressesResult { systemAddresses: SystemAddress[]; queues: (QueueOption & { systemAddress: string | null })[] }
export const CREATE_SYSTEM_ADDRESS = /* GraphQL */ `mutation CreateSystemAddress($input: CreateSystemAddressInput!) {
	createSystemAddress(input: $input) { __typename ... on CreateSystemAddressSuccess { systemAddress { id } } ${ERRORS} } }`;
export const UPDATE_SYSTEM_ADDRESS = /* GraphQL */ `mutation UpdateSystemAddress($id: ID!, $input: UpdateSystemAddressInput!) {
	updateSystemAddress(id: $id, input: $input) { __typename ... on UpdateSystemAddressSuccess { systemAddress { id } } ${ERRORS} } }`;
export const USE_AS_SENDER = /* GraphQL */ `mutation UseSystemAddressAsSender($id: ID!) {
	useSystemAddressAsSender(id: $id) { __typename ... on UseSystemAddressAsSenderSuccess { systemAddress { id } } ${ERRORS} } }`;
export const DELETE_SYSTEM_ADDRESS = /* GraphQL */ `mutation DeleteSystemAddress($id: ID!) {
	deleteSystemAddress(id: $id) { __typename ... on DeleteSystemAddressSuccess { systemAddress { id } } ${ERRORS} } }`;

// ---- PostMaster filters ---------------------------------------------------------------------

export interface FilterCondition { header: string; pattern: string; negate: boolean }
export interface PostmasterFilter {
	id: string; name: string; position: number; active: boolean; stop: boolean; match: FilterCondition[];
	setQueueId: string | null; setPriorityId: string | null; setStateId: string | null; ignore: boolean;
}
export const MAIL_FILTERS = /* GraphQL */ `query AdminMailFilters {
	postmasterFilters { id name position active stop match { header pattern negate } setQueueId setPriorityId setStateId ignore }
	queues { id name active }
	priorities { id name }
	ticketStates { id name }
}`;
export interface MailFiltersResult { postmasterFilters: PostmasterFilter[]; queues: QueueOption[]; priorities: { id: string; name: string }[]; ticketStates: { id: string; name: string }[] }
export const CREATE_MAIL_FILTER = /* GraphQL */ `mutation CreateMailFilter($input: CreatePostmasterFilterInput!) {
	createPostmasterFilter(input: $input) { __typename ... on CreatePostmasterFilterSuccess { postmasterFilter { id } } ${ERRORS} } }`;
export const UPDATE_MAIL_FILTER = /* GraphQL */ `mutation UpdateMailFilter($id: ID!, $input: UpdatePostmasterFilterInput!) {
	updatePostmasterFilter(id: $id, input: $input) { __typename ... on UpdatePostmasterFilterSuccess { postmasterFilter { id } } ${ERRORS} } }`;
export const DELETE_MAIL_FILTER = /* GraphQL */ `mutation DeleteMailFilter($id: ID!) {
	deletePostmasterFilter(id: $id) { __typename ... on DeletePostmasterFilterSuccess { postmasterFilter { id } } ${ERRORS} } }`;

// ---- Auto-responses -------------------------------------------------------------------------

export const AUTO_RESPONSE_KINDS = ['NEW_TICKET', 'FOLLOW_UP', 'REJECT'] as const;
export type AutoResponseKind = (typeof AUTO_RESPONSE_KINDS)[number];
export interface AutoResponse { id: string; queueId: string; kind: AutoResponseKind; subject: string; body: string; active: boolean }
export const AUTO_RESPONSES = /* GraphQL */ `query AdminAutoResponses {
	autoResponses { id queueId kind subject body active }
	queues { id name active }
}`;
export interface AutoResponsesResult { autoResponses: AutoResponse[]; queues: QueueOption[] }
export const SET_AUTO_RESPONSE = /* GraphQL */ `mutation SetAutoResponse($input: SetAutoResponseInput!) {
	setAutoResponse(input: $input) { __typename ... on SetAutoResponseSuccess { autoResponse { id } } ${ERRORS} } }`;
export const DELETE_AUTO_RESPONSE = /* GraphQL */ `mutation DeleteAutoResponse($id: ID!) {
	deleteAutoResponse(id: $id) { __typename ... on DeleteAutoResponseSuccess { autoResponse { id } } ${ERRORS} } }`;

// ---- Failed-mail log ------------------------------------------------------------------------

export interface InboundMail {
	id: string; source: string; status: string; outcome: string | null; failureCode: string | null; failureReason: string | null;
	messageId: string | null; envelopeFrom: string | null; recipients: string[]; size: number; attempts: number; ticketId: string | null;
	receivedAt: string; processedAt: string | null;
}
const INBOUND_FIELDS = 'id source status outcome failureCode failureReason messageId envelopeFrom recipients size attempts ticketId receivedAt processedAt';
export const FAILED_MAILS = /* GraphQL */ `query AdminFailedMails { inboundMails(status: FAILED, first: 200) { ${INBOUND_FIELDS} } }`;
export interface FailedMailsResult { inboundMails: InboundMail[] }
export const FAILED_MAIL = /* GraphQL */ `query AdminFailedMail($id: ID!) {
	inboundMail(id: $id) { ${INBOUND_FIELDS} }
	inboundMailSource(id: $id) { __typename ... on InboundMailSourceSuccess { source { headers raw size truncated } } ${ERRORS} }
}`;
export interface MailSource { headers: string; raw: string; size: number; truncated: boolean }
export interface FailedMailResult { inboundMail: InboundMail | null; inboundMailSource: Result<'source', MailSource> }
export const RETRY_MAIL = /* GraphQL */ `mutation RetryMail($id: ID!) {
	retryInboundMail(id: $id) { __typename ... on RetryInboundMailSuccess { inboundMail { id } } ${ERRORS} } }`;
export const DISMISS_MAIL = /* GraphQL */ `mutation DismissMail($id: ID!) {
	dismissInboundMail(id: $id) { __typename ... on DismissInboundMailSuccess { inboundMail { id } } ${ERRORS} } }`;

// ---- Branding -------------------------------------------------------------------------------

export interface Branding { name: string; displayName: string | null; primaryColor: string | null; logoType: string | null; logoVersion: string | null }
const BRANDING_FIELDS = 'name displayName primaryColor logoType logoVersion';
export const BRANDING = /* GraphQL */ `query Branding($slug: String) { branding(tenantSlug: $slug) { ${BRANDING_FIELDS} } }`;
export interface BrandingResult { branding: Branding | null }
export const BRANDING_LOGO = /* GraphQL */ `query BrandingLogo($slug: String) { brandingLogo(tenantSlug: $slug) { contentType base64 sha256 } }`;
export interface BrandingLogoResult { brandingLogo: { contentType: string; base64: string; sha256: string } | null }
export const UPDATE_BRANDING = /* GraphQL */ `mutation UpdateBranding($input: UpdateBrandingInput!) {
	updateBranding(input: $input) { __typename ... on UpdateBrandingSuccess { branding { ${BRANDING_FIELDS} } } ${ERRORS} } }`;
export const SET_BRANDING_LOGO = /* GraphQL */ `mutation SetBrandingLogo($input: SetBrandingLogoInput!) {
	setBrandingLogo(input: $input) { __typename ... on SetBrandingLogoSuccess { branding { ${BRANDING_FIELDS} } } ${ERRORS} } }`;
export const REMOVE_BRANDING_LOGO = /* GraphQL */ `mutation RemoveBrandingLogo {
	removeBrandingLogo { __typename ... on RemoveBrandingLogoSuccess { branding { ${BRANDING_FIELDS} } } ${ERRORS} } }`;
