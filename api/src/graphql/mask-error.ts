import { GraphQLError } from 'graphql';
import { AppError, RateLimitedError } from '../errors/app-error.ts';
import type { Logger } from '../logger.ts';

const httpStatus: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, RATE_LIMITED: 429, TENANT_SUSPENDED: 403 };

/** A domain error thrown outside a typed result (e.g. while authenticating) as a GraphQL error. */
export function toGraphQLError(e: AppError): GraphQLError {
  const status = httpStatus[e.code];
  const headers = e instanceof RateLimitedError ? { 'Retry-After': String(e.retryAfterSeconds) } : undefined;
  return new GraphQLError(e.message, { extensions: { code: e.code, ...(status ? { http: { status, headers } } : {}) } });
}

/**
 * What a client sees of an error: domain errors keep their message and code, GraphQL errors
 * (validation, auth scopes) pass through, anything else is logged and shown as a generic error
 * without a stack trace.
 */
export function createMaskError(log: Logger) {
  return (error: unknown): Error => {
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    if (original instanceof AppError) {
      const e = toGraphQLError(original);
      return error instanceof GraphQLError ? new GraphQLError(e.message, { nodes: error.nodes, path: error.path, extensions: e.extensions }) : e;
    }
    if (error instanceof GraphQLError && !error.originalError) return error;
    if (original instanceof GraphQLError) return original;
    log.error({ err: original }, 'unexpected error in a resolver');
    return new GraphQLError('Unexpected error', {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}
