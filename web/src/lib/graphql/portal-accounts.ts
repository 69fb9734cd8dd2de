// Portal accounts (sign-up, verification, password reset), the guest form and portal settings.
type Err = { __typename: string; code?: string; message?: string; field?: string | null; retryAfterSeconds?: number; reason?: string };

export const PORTAL_INFO = /* GraphQL */ `
	query PortalInfo($slug: String!) { portalInfo(tenantSlug: $slug) { tenantName allowSignUp allowGuestTickets guestQueues { id name } } }
`;
export interface PortalInfoResult {
	portalInfo: { tenantName: string; allowSignUp: boolean; allowGuestTickets: boolean; guestQueues: { id: string; name: string }[] } | null;
}

// Each union only admits fragments on its own members.
const ERR = `... on Error { code message }`;
const FIELD = `... on ValidationError { field }`;
const RETRY = `... on RateLimitedError { retryAfterSeconds }`;

export const SIGN_UP = /* GraphQL */ `
	mutation SignUp($input: SignUpInput!) { signUp(input: $input) { __typename ... on SignUpSuccess { email } ${ERR} ${FIELD} ${RETRY} } }
`;
export type SignUpResult = { signUp: { __typename: 'SignUpSuccess'; email: string } | Err };

export const VERIFY_EMAIL = /* GraphQL */ `
	mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { __typename ... on VerifyEmailSuccess { email } ... on InvalidTokenError { reason } ${ERR} ${FIELD} } }
`;
export type VerifyEmailResult = { verifyEmail: { __typename: 'VerifyEmailSuccess'; email: string } | Err };

export const RESEND_VERIFICATION = /* GraphQL */ `
	mutation ResendVerification($input: AccountEmailInput!) { resendVerification(input: $input) { __typename ${ERR} ${FIELD} ${RETRY} } }
`;
export type ResendVerificationResult = { resendVerification: Err };

export const REQUEST_PASSWORD_RESET = /* GraphQL */ `
	mutation RequestPasswordReset($input: AccountEmailInput!) { requestPasswordReset(input: $input) { __typename ${ERR} ${FIELD} ${RETRY} } }
`;
export type RequestPasswordResetResult = { requestPasswordReset: Err };

export const RESET_PASSWORD = /* GraphQL */ `
	mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) { __typename ... on ResetPasswordSuccess { email kind } ... on InvalidTokenError { reason } ${ERR} ${FIELD} } }
`;
export type ResetPasswordResult = { resetPassword: { __typename: 'ResetPasswordSuccess'; email: string; kind: 'AGENT' | 'CUSTOMER' } | Err };

export const GUEST_CHALLENGE = /* GraphQL */ `
	mutation GuestTicketChallenge($slug: String!) { guestTicketChallenge(tenantSlug: $slug) { __typename ... on GuestTicketChallenge { challenge difficulty expiresAt } ${ERR} ${RETRY} } }
`;
export type GuestChallengeResult = { guestTicketChallenge: { __typename: 'GuestTicketChallenge'; challenge: string; difficulty: number; expiresAt: string } | Err };

export const SUBMIT_GUEST_TICKET = /* GraphQL */ `
	mutation SubmitGuestTicket($input: GuestTicketInput!) { submitGuestTicket(input: $input) { __typename ... on SubmitGuestTicketSuccess { number email } ... on SpamCheckFailedError { reason } ${ERR} ${FIELD} ${RETRY} } }
`;
export type SubmitGuestTicketResult = { submitGuestTicket: { __typename: 'SubmitGuestTicketSuccess'; number: string; email: string } | Err };

export const PORTAL_SETTINGS = /* GraphQL */ `
	query PortalSettings { portalSettings { allowSignUp allowGuestTickets } }
`;
export interface PortalSettingsResult {
	portalSettings: { allowSignUp: boolean; allowGuestTickets: boolean };
}
export const UPDATE_PORTAL_SETTINGS = /* GraphQL */ `
	mutation UpdatePortalSettings($input: PortalSettingsInput!) { updatePortalSettings(input: $input) { __typename ${ERR} ${FIELD} } }
`;
export type UpdatePortalSettingsResult = { updatePortalSettings: Err };

export const PORTAL_PROFILE = /* GraphQL */ `
	query PortalProfile { portalProfile { seesCompanyTickets companyName } }
`;
export interface PortalProfileResult {
	portalProfile: { seesCompanyTickets: boolean; companyName: string | null };
}
