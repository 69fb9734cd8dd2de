import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { deleteSavedSearch, saveSearch } from './saved-searches.ts';

export const SavedSearchType = builder.prismaObject('SavedSearch', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    filter: t.expose('filter', { type: 'JSON', description: 'A TicketFilter as JSON' }),
    isDefault: t.exposeBoolean('isDefault', { description: 'Shown when the agent opens the ticket list' }),
  }),
});

builder.queryField('savedSearches', (t) => t.prismaField({
  type: [SavedSearchType],
  authScopes: { agent: true },
  description: 'My saved searches, the default view first',
  resolve: (query, _root, _args, ctx) => tenantClient(ctx).savedSearch.findMany({
    ...query, where: { userId: ctx.viewer.kind === 'agent' ? ctx.viewer.userId : undefined }, orderBy: [{ isDefault: 'desc' }, { name: 'asc' }],
  }),
}));

const SaveSearchInput = builder.inputType('SaveSearchInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    filter: t.field({ type: 'JSON', required: true }),
    isDefault: t.boolean(),
  }),
});

builder.mutationField('saveSearch', (t) => t.prismaField({
  type: SavedSearchType,
  authScopes: { agent: true },
  description: 'Save a search under a name (replacing one of the same name); optionally as my default view',
  errors: { types: [ValidationError, ConflictError], dataField: { name: 'savedSearch' } },
  args: { input: t.arg({ type: SaveSearchInput, required: true }) },
  resolve: (_q, _root, { input }, ctx) => saveSearch(agentContext(ctx), { name: input.name, filter: input.filter as Record<string, unknown>, isDefault: input.isDefault ?? false }),
}));

builder.mutationField('deleteSavedSearch', (t) => t.prismaField({
  type: SavedSearchType,
  authScopes: { agent: true },
  errors: { types: [NotFoundError, ValidationError], dataField: { name: 'savedSearch' } },
  args: { id: t.arg.id({ required: true }) },
  resolve: (_q, _root, { id }, ctx) => deleteSavedSearch(agentContext(ctx), fromGlobalOrRawId(String(id))),
}));
