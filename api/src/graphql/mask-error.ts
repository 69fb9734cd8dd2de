import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { AppError, RateLimitedError } from '../errors/app-error.ts';
import type { Logger } from '../logger.ts';

const httpStatus: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, RATE_LIMITED: 429, TENANT_SUSPENDED: 403 };

/** A domain error thrown outside a typed result (e.g. while authenticating) as a GraphQL error. */
export function toGraphQLError(e: AppError): GraphQLError {
  const status = httpStatus[e.code];
  const headers = e instanceof RateLimitedError ? { 'Retry-After': String(e.retryAfterSeconds) } : undefined;
  return new GraphQLError(e.message, { extensions: { code: e.code, ...(status ? { http: { status, headers } } : {}) } });
}

const UNEXPECTED = 'Unexpected error';

// Duck-typed: a bundler or test runner may load two copies of graphql-js, so instanceof can lie.
const isGraphQLError = (e: unknown): e is GraphQLError => e instanceof Error && e.name === 'GraphQLError';

/**
 * What a client sees of an error: domain errors keep their message and code; request and
 * validation errors pass through as yoga shapes them (with their 4xx status); anything else is
 * logged and shown as a generic error without a stack trace.
 */
export function createMaskError(log: Logger) {
  return (error: unknown, _message: string, isDev?: boolean): Error => {
    const outer = isGraphQLError(error) ? error : null;
    const original = outer?.originalError ?? error;
    const located = outer ? { nodes: outer.nodes, source: outer.source, positions: outer.positions, path: outer.path } : {};
    if (original instanceof AppError) {
      const e = toGraphQLError(original);
      return new GraphQLError(e.message, { ...located, extensions: e.extensions });
    }
    if (isGraphQLError(original)) {
      // ours (auth scopes, context) or graphql-js's own (syntax, validation, coercion): meant for the client
      const extensions: Record<string, unknown> = { ...original.extensions, ...outer?.extensions };
      // an error outside any field is a request error: the client's fault
      if (!outer?.path && !extensions.http) extensions.http = { status: 400 };
      extensions.code ??= outer?.path ? 'BAD_USER_INPUT' : 'BAD_REQUEST';
      return new GraphQLError(outer?.message ?? original.message, { ...located, extensions });
    }
    const masked = yogaMaskError(error, UNEXPECTED, isDev ?? false);
    if (masked.message !== UNEXPECTED) return masked;
    log.error({ err: original }, 'unexpected error');
    return new GraphQLError(UNEXPECTED, { ...located, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}
