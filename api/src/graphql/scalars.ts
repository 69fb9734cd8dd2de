import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.ts';

function parseDate(value: unknown): Date {
  const d = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
  return d;
}

builder.scalarType('DateTime', {
  description: 'An ISO-8601 timestamp with time zone',
  serialize: (d) => (d instanceof Date ? d.toISOString() : new Date(d as string).toISOString()),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('JSON', {
  description: 'Arbitrary JSON',
  serialize: (v) => v,
  parseValue: (v) => v as never,
});
