import { builder } from '../graphql/builder.ts';
import { ErrorInterface } from '../graphql/error-types.ts';
import { EmailNotVerifiedError, InvalidTokenError, SpamCheckFailedError } from './portal-errors.ts';

export const EmailNotVerifiedErrorType = builder.objectType(EmailNotVerifiedError, {
  name: 'EmailNotVerifiedError', description: 'Confirm the e-mail address (link in the verification mail) before signing in',
  interfaces: [ErrorInterface as never], isTypeOf: (v) => v instanceof EmailNotVerifiedError, fields: () => ({}),
});

const InvalidTokenReasonEnum = builder.enumType('InvalidTokenReason', { values: ['INVALID', 'EXPIRED', 'USED'] as const });
export const InvalidTokenErrorType = builder.objectType(InvalidTokenError, {
  name: 'InvalidTokenError', description: 'The verification or password-reset link is not valid, expired or used already',
  interfaces: [ErrorInterface as never], isTypeOf: (v) => v instanceof InvalidTokenError,
  fields: (t) => ({ reason: t.field({ type: InvalidTokenReasonEnum, resolve: (e) => e.reason }) }),
});

const SpamCheckReasonEnum = builder.enumType('SpamCheckReason', { values: ['HONEYPOT', 'PROOF_MISSING', 'PROOF_INVALID', 'PROOF_EXPIRED', 'PROOF_REUSED'] as const });
export const SpamCheckFailedErrorType = builder.objectType(SpamCheckFailedError, {
  name: 'SpamCheckFailedError', description: 'The guest form’s anti-spam check refused the submission',
  interfaces: [ErrorInterface as never], isTypeOf: (v) => v instanceof SpamCheckFailedError,
  fields: (t) => ({ reason: t.field({ type: SpamCheckReasonEnum, resolve: (e) => e.reason }) }),
});
