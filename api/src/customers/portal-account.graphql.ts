import { builder } from '../graphql/builder.ts';
import { ForbiddenError, NotFoundError, RateLimitedError, TenantSuspendedError, ValidationError } from '../errors/app-error.ts';
import { requestPasswordReset, resetPassword } from '../auth/password-reset.ts';
import { InvalidTokenError } from './portal-errors.ts';
import './portal-errors.graphql.ts';
import { resendVerification, signUpCustomer, verifyEmail } from './sign-up.ts';

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    tenantSlug: t.string({ required: true }),
    name: t.string({ required: true }),
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    locale: t.string(),
  }),
});

const SignUpSuccess = builder.objectRef<{ email: string }>('SignUpSuccess').implement({
  description: 'The same for every address: a verification link (or, for a known address, a note to its owner) is on its way',
  fields: (t) => ({ email: t.exposeString('email') }),
});

builder.mutationField('signUp', (t) => t.field({
  type: SignUpSuccess,
  description: 'Customer self sign-up in the portal (when the tenant allows it); the account signs in after the e-mail address is confirmed',
  errors: { types: [ValidationError, RateLimitedError, ForbiddenError, NotFoundError, TenantSuspendedError], directResult: true },
  args: { input: t.arg({ type: SignUpInput, required: true }) },
  resolve: (_root, { input }, ctx) => signUpCustomer(ctx.services, {
    tenantSlug: input.tenantSlug, name: input.name, email: input.email, password: input.password,
    locale: (input.locale ?? undefined) as 'en' | undefined,
  }, ctx.meta),
}));

const AccountEmailInput = builder.inputType('AccountEmailInput', {
  fields: (t) => ({ tenantSlug: t.string({ required: true }), email: t.string({ required: true }) }),
});

const AccountMailRequested = builder.objectRef<{ ok: true }>('AccountMailRequested').implement({
  description: 'Answered alike for known and unknown addresses',
  fields: (t) => ({ ok: t.exposeBoolean('ok') }),
});

builder.mutationField('resendVerification', (t) => t.field({
  type: AccountMailRequested,
  description: 'Sends the verification link of an unverified sign-up again',
  errors: { types: [ValidationError, RateLimitedError, NotFoundError, TenantSuspendedError], directResult: true },
  args: { input: t.arg({ type: AccountEmailInput, required: true }) },
  resolve: async (_root, { input }, ctx) => {
    await resendVerification(ctx.services, input, ctx.meta);
    return { ok: true as const };
  },
}));

builder.mutationField('requestPasswordReset', (t) => t.field({
  type: AccountMailRequested,
  description: '"Forgot password?" for agents and customers: mails a single-use link valid for an hour',
  errors: { types: [ValidationError, RateLimitedError, TenantSuspendedError], directResult: true },
  args: { input: t.arg({ type: AccountEmailInput, required: true }) },
  resolve: async (_root, { input }, ctx) => {
    await requestPasswordReset(ctx.services, input, ctx.meta);
    return { ok: true as const };
  },
}));

const VerifyEmailSuccess = builder.objectRef<{ email: string }>('VerifyEmailSuccess').implement({
  fields: (t) => ({ email: t.exposeString('email') }),
});

builder.mutationField('verifyEmail', (t) => t.field({
  type: VerifyEmailSuccess,
  description: 'Confirms a sign-up with the token of its verification link',
  errors: { types: [InvalidTokenError, ValidationError], directResult: true },
  args: { token: t.arg.string({ required: true }) },
  resolve: (_root, { token }, ctx) => verifyEmail(ctx.services, token),
}));

const AccountKind = builder.enumType('AccountKind', { values: ['AGENT', 'CUSTOMER'] as const });
const ResetPasswordSuccess = builder.objectRef<{ kind: 'agent' | 'customer'; email: string }>('ResetPasswordSuccess').implement({
  description: 'The password is changed and every session of the account ended',
  fields: (t) => ({
    email: t.exposeString('email'),
    kind: t.field({ type: AccountKind, resolve: (r) => (r.kind === 'agent' ? 'AGENT' : 'CUSTOMER') }),
  }),
});

const ResetPasswordInput = builder.inputType('ResetPasswordInput', {
  fields: (t) => ({ token: t.string({ required: true }), password: t.string({ required: true }) }),
});

builder.mutationField('resetPassword', (t) => t.field({
  type: ResetPasswordSuccess,
  errors: { types: [InvalidTokenError, ValidationError], directResult: true },
  args: { input: t.arg({ type: ResetPasswordInput, required: true }) },
  resolve: (_root, { input }, ctx) => resetPassword(ctx.services, input),
}));
