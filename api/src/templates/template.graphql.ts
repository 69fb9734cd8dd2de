import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';

const TemplateKindEnum = builder.enumType('TemplateKind', { values: ['ANSWER', 'CREATE', 'FORWARD', 'NOTE', 'SNIPPET'] as const });

export const TemplateType = builder.prismaObject('StandardTemplate', {
  name: 'Template',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: TemplateKindEnum }),
    body: t.exposeString('body'),
  }),
});

builder.queryField('templates', (t) => t.prismaField({
  type: [TemplateType],
  authScopes: { agent: true },
  description: 'Canned responses and snippets',
  resolve: (query, _root, _args, ctx) => tenantClient(ctx).standardTemplate.findMany({ ...query, where: { active: true }, orderBy: { name: 'asc' } }),
}));
