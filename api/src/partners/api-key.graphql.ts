import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { ApiKeyScopes } from '../auth/viewer.ts';
import { createApiKey, revokeApiKey } from './create-api-key.ts';

export const ApiKeyScopeEnum = builder.enumType('ApiKeyScope', {
  values: Object.fromEntries(ApiKeyScopes.map((s) => [s.replace(':', '_').toUpperCase(), { value: s }])) as Record<string, { value: (typeof ApiKeyScopes)[number] }>,
});

export const ApiKeyType = builder.prismaObject('ApiKey', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, to recognise it' }),
    scopes: t.field({ type: [ApiKeyScopeEnum], resolve: (k) => k.scopes as never }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('apiKeys', (t) => t.prismaField({
  type: [ApiKeyType],
  authScopes: { admin: true },
  resolve: (query, _root, _args, ctx) => tenantClient(ctx).apiKey.findMany({ ...query, orderBy: { createdAt: 'desc' } }),
}));

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.field({ type: [ApiKeyScopeEnum], required: true }),
  }),
});

const CreatedApiKey = builder.objectRef<{ key: { id: string }; secret: string }>('CreatedApiKey').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyType, resolve: (r) => r.key as never }),
    secret: t.exposeString('secret', { description: 'The key itself: shown only now, store it safely' }),
  }),
});

builder.mutationField('createApiKey', (t) => t.field({
  type: CreatedApiKey,
  authScopes: { admin: true },
  errors: { types: [ValidationError, ForbiddenError], dataField: { name: 'created' } },
  args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
  resolve: (_root, { input }, ctx) => createApiKey(ctx.services.db, agentContext(ctx).viewer, { name: input.name, scopes: input.scopes }),
}));

builder.mutationField('revokeApiKey', (t) => t.prismaField({
  type: ApiKeyType,
  authScopes: { admin: true },
  errors: { types: [ForbiddenError, NotFoundError], dataField: { name: 'apiKey' } },
  args: { id: t.arg.id({ required: true }) },
  resolve: (_q, _root, { id }, ctx) => revokeApiKey(ctx.services.db, agentContext(ctx).viewer, String(id)),
}));
