import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ComplexityPlugin from '@pothos/plugin-complexity';
import { GraphQLError } from 'graphql';
import type PrismaTypes from '@parley/db/generated/pothos-types.ts';
import { getDatamodel } from '@parley/db/generated/pothos-types.ts';
import type { Prisma } from '@parley/db';
import { tenantClient, type GraphQLContext } from './context.ts';

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The schema builder: plugin set-up only; types live next to their domain (one file each). */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date }; JSON: { Input: Prisma.InputJsonValue; Output: unknown } };
  AuthScopes: {
    authenticated: boolean;
    /** an agent or admin of the tenant, by session or API key */
    agent: boolean;
    /** an agent who may write (an API key needs the tickets:write scope) */
    agentWrite: boolean;
    admin: boolean;
    customer: boolean;
    provider: boolean;
    tenantMember: boolean;
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => {
      const v = ctx.viewer;
      const agent = v.kind === 'agent';
      return {
        authenticated: v.kind !== 'anonymous',
        agent,
        agentWrite: agent && (!v.apiKey || v.apiKey.scopes.includes('tickets:write')),
        admin: agent && v.isAdmin,
        customer: v.kind === 'customer',
        provider: v.kind === 'provider',
        tenantMember: agent || v.kind === 'customer',
      };
    },
    unauthorizedError: (_parent, ctx, info) => new GraphQLError(
      ctx.viewer.kind === 'anonymous'
        ? `Sign in to use ${info.parentType.name}.${info.fieldName}`
        : `You are not allowed to use ${info.parentType.name}.${info.fieldName}`,
      { extensions: { code: ctx.viewer.kind === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN' } },
    ),
  },
  errors: {
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
  prisma: {
    client: (ctx) => tenantClient(ctx),
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    limit: (ctx) => ({
      complexity: ctx.services.config.MAX_QUERY_COMPLEXITY,
      depth: ctx.services.config.MAX_QUERY_DEPTH,
      breadth: 200,
    }),
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
