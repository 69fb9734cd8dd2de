/**
 * Domain errors. Use cases throw these; the GraphQL layer exposes each as a typed member of a
 * mutation's result union (see graphql/error-types.ts) and never shows a stack trace.
 */
export const ErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  VALIDATION: 'VALIDATION',
  LOCKED: 'LOCKED',
  CONFLICT: 'CONFLICT',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  RATE_LIMITED: 'RATE_LIMITED',
  TENANT_SUSPENDED: 'TENANT_SUSPENDED',
  NO_INCIDENT_LEFT: 'NO_INCIDENT_LEFT',
  BILLING_DISABLED: 'BILLING_DISABLED',
  PLAN_LIMIT: 'PLAN_LIMIT',
  ATTACHMENT_UNUSABLE: 'ATTACHMENT_UNUSABLE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  EMAIL_NOT_VERIFIED: 'EMAIL_NOT_VERIFIED',
  INVALID_TOKEN: 'INVALID_TOKEN',
  SPAM_CHECK_FAILED: 'SPAM_CHECK_FAILED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  readonly entity: string;
  constructor(entity: string, message = `${entity} not found`) {
    super(ErrorCode.NOT_FOUND, message);
    this.entity = entity;
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this') {
    super(ErrorCode.FORBIDDEN, message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export class ValidationError extends AppError {
  readonly field: string | null;
  constructor(message: string, field: string | null = null) {
    super(ErrorCode.VALIDATION, message);
    this.field = field;
  }
}

export class LockedError extends AppError {
  readonly ownerId: string;
  readonly ownerName: string;
  constructor(owner: { id: string; name: string }) {
    super(ErrorCode.LOCKED, `The ticket is locked by ${owner.name}`);
    this.ownerId = owner.id;
    this.ownerName = owner.name;
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(ErrorCode.CONFLICT, message);
  }
}

export class InvalidCredentialsError extends AppError {
  constructor() {
    super(ErrorCode.INVALID_CREDENTIALS, 'Wrong e-mail address or password');
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class TenantSuspendedError extends AppError {
  constructor() {
    super(ErrorCode.TENANT_SUSPENDED, 'This help desk is suspended');
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
