// Helpers for the customer-portal tests: GraphQL calls from a chosen client IP (the API trusts
// X-Forwarded-For from loopback, as from the web app), and the account mails in a tenant's outbox.
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { withTenant } from '@parley/db';
import type { TestApi, GqlResponse } from './api.ts';

/** A fresh documentation-range address, so per-IP limits of one test never touch another's. */
export const uniqueIp = () => `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

export async function gqlFrom<T = any>(api: TestApi, ip: string, query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResponse<T>> {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json() as { data?: any; errors?: any };
  return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
}

export interface OutboxMail { id: string; kind: string; ticketId: string | null; recipients: string[]; subject: string; text: string; links: string[] }

/** The tenant's outbox rows to `address`, oldest first, decoded. */
export async function outboxTo(api: TestApi, tenantId: string, address: string): Promise<OutboxMail[]> {
  const rows = await withTenant(api.services.db, tenantId, (tx) => tx.outgoingMail.findMany({ where: { recipients: { has: address.toLowerCase() } }, orderBy: { createdAt: 'asc' } }));
  const out: OutboxMail[] = [];
  for (const r of rows) {
    const parsed = await simpleParser(Buffer.from(r.raw));
    const text = parsed.text ?? '';
    out.push({ id: r.id, kind: r.kind, ticketId: r.ticketId, recipients: r.recipients, subject: r.subject, text, links: text.match(/https?:\/\/\S+/g) ?? [] });
  }
  return out;
}

/** The token of the last link to `path` mailed to `address`. */
export async function lastLinkToken(api: TestApi, tenantId: string, address: string, path: string): Promise<{ url: string; token: string } | null> {
  const mails = await outboxTo(api, tenantId, address);
  for (const m of mails.reverse()) {
    const url = m.links.find((l) => new URL(l).pathname.endsWith(path));
    if (url) return { url, token: new URL(url).searchParams.get('token')! };
  }
  return null;
}

export const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { __typename ... on SignUpSuccess { email } ... on Error { code message } ... on RateLimitedError { retryAfterSeconds } } }`;
export const VERIFY = `mutation($token: String!) { verifyEmail(token: $token) { __typename ... on VerifyEmailSuccess { email } ... on InvalidTokenError { reason } ... on Error { code } } }`;
export const RESEND = `mutation($input: AccountEmailInput!) { resendVerification(input: $input) { __typename ... on AccountMailRequested { ok } ... on Error { code } } }`;
export const REQUEST_RESET = `mutation($input: AccountEmailInput!) { requestPasswordReset(input: $input) { __typename ... on AccountMailRequested { ok } ... on Error { code } } }`;
export const RESET = `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { __typename ... on ResetPasswordSuccess { email kind } ... on InvalidTokenError { reason } ... on Error { code message } } }`;
export const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { token viewer { kind email } } ... on Error { code message } } }`;
export const SETTINGS = `mutation($input: PortalSettingsInput!) { updatePortalSettings(input: $input) { __typename ... on UpdatePortalSettingsSuccess { settings { allowSignUp allowGuestTickets } } ... on Error { code } } }`;
export const CHALLENGE = `mutation($slug: String!) { guestTicketChallenge(tenantSlug: $slug) { __typename ... on GuestTicketChallenge { challenge difficulty expiresAt } ... on Error { code message } } }`;
export const SUBMIT_GUEST = `mutation($input: GuestTicketInput!) { submitGuestTicket(input: $input) { __typename ... on SubmitGuestTicketSuccess { number email } ... on SpamCheckFailedError { reason } ... on Error { code message } } }`;
