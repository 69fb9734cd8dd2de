import { AppError, ErrorCode } from '../errors/app-error.ts';

/** The password was right, but the account's e-mail address is not verified yet (self sign-up). */
export class EmailNotVerifiedError extends AppError {
  constructor() {
    super(ErrorCode.EMAIL_NOT_VERIFIED, 'Confirm your e-mail address first: open the link we sent you');
  }
}

export type InvalidTokenReason = 'INVALID' | 'EXPIRED' | 'USED';

/** A verification or password-reset link that is unknown, expired or used already. */
export class InvalidTokenError extends AppError {
  readonly reason: InvalidTokenReason;
  constructor(reason: InvalidTokenReason) {
    super(ErrorCode.INVALID_TOKEN, reason === 'EXPIRED' ? 'This link has expired' : reason === 'USED' ? 'This link was used already' : 'This link is not valid');
    this.reason = reason;
  }
}

export type SpamCheckReason = 'HONEYPOT' | 'PROOF_MISSING' | 'PROOF_INVALID' | 'PROOF_EXPIRED' | 'PROOF_REUSED';

/** The guest form's spam protection refused the submission. */
export class SpamCheckFailedError extends AppError {
  readonly reason: SpamCheckReason;
  constructor(reason: SpamCheckReason) {
    super(ErrorCode.SPAM_CHECK_FAILED, reason === 'PROOF_EXPIRED' ? 'The anti-spam check expired; submit the form again' : 'The anti-spam check failed');
    this.reason = reason;
  }
}
