import {
  AppError, ConflictError, ForbiddenError, InvalidCredentialsError, LockedError, NotFoundError,
  RateLimitedError, TenantSuspendedError, UnauthenticatedError, ValidationError,
} from '../errors/app-error.ts';
import { builder } from './builder.ts';

/**
 * The public error types. Every one implements `Error { message code }`; mutations return a
 * union of their success type and the errors they can produce.
 */
export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

function errorObject<T extends AppError>(cls: new (...args: never[]) => T, name: string, description: string) {
  return builder.objectType(cls, {
    name, description, interfaces: [ErrorInterface as never], isTypeOf: (v) => v instanceof cls,
    fields: () => ({}),
  });
}

export const NotFoundErrorType = errorObject(NotFoundError, 'NotFoundError', 'The object does not exist or is not visible to you');
builder.objectFields(NotFoundErrorType, (t) => ({ entity: t.string({ resolve: (e) => (e as unknown as NotFoundError).entity }) }));

export const ForbiddenErrorType = errorObject(ForbiddenError, 'ForbiddenError', 'You lack the permission for this action');
export const UnauthenticatedErrorType = errorObject(UnauthenticatedError, 'UnauthenticatedError', 'Sign in first');

export const ValidationErrorType = errorObject(ValidationError, 'ValidationError', 'The input is not acceptable');
builder.objectFields(ValidationErrorType, (t) => ({ field: t.string({ nullable: true, resolve: (e) => (e as unknown as ValidationError).field }) }));

const LockOwner = builder.objectRef<{ id: string; name: string }>('LockOwner').implement({
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});
export const LockedErrorType = errorObject(LockedError, 'LockedError', 'Another agent holds the lock of this ticket');
builder.objectFields(LockedErrorType, (t) => ({
  owner: t.field({ type: LockOwner, resolve: (e) => { const l = e as unknown as LockedError; return { id: l.ownerId, name: l.ownerName }; } }),
}));

export const ConflictErrorType = errorObject(ConflictError, 'ConflictError', 'The object exists already or changed meanwhile');
export const InvalidCredentialsErrorType = errorObject(InvalidCredentialsError, 'InvalidCredentialsError', 'Wrong e-mail address or password');
export const RateLimitedErrorType = errorObject(RateLimitedError, 'RateLimitedError', 'Too many attempts');
builder.objectFields(RateLimitedErrorType, (t) => ({ retryAfterSeconds: t.int({ resolve: (e) => (e as unknown as RateLimitedError).retryAfterSeconds }) }));
export const TenantSuspendedErrorType = errorObject(TenantSuspendedError, 'TenantSuspendedError', 'The help desk is suspended');

/** The errors most ticket mutations can produce. */
export const ticketErrors = [NotFoundError, ForbiddenError, ValidationError, LockedError];
