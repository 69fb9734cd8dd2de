import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { TicketType, visibleTickets } from './ticket.graphql.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';

const LinkKindEnum = builder.enumType('LinkKind', { values: ['NORMAL', 'PARENT_CHILD'] as const });
const CustomFieldTypeEnum = builder.enumType('CustomFieldType', {
  values: ['TEXT', 'TEXTAREA', 'DROPDOWN', 'MULTISELECT', 'CHECKBOXES', 'RADIO', 'DATE', 'DATETIME', 'HTML'] as const,
});

export const TicketLinkType = builder.prismaObject('TicketLink', {
  fields: (t) => ({
    kind: t.expose('kind', { type: LinkKindEnum }),
    source: t.relation('source'),
    target: t.relation('target'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const CustomFieldDefinitionType = builder.prismaObject('CustomFieldDefinition', {
  fields: (t) => ({
    id: t.exposeID('id'),
    key: t.exposeString('key'),
    label: t.exposeString('label'),
    type: t.expose('type', { type: CustomFieldTypeEnum }),
    options: t.exposeStringList('options'),
    required: t.exposeBoolean('required'),
    visibleToCustomer: t.exposeBoolean('visibleToCustomer'),
    queue: t.relation('queue', { nullable: true }),
  }),
});

export const CustomFieldValueType = builder.prismaObject('CustomFieldValue', {
  fields: (t) => ({
    field: t.relation('field'),
    value: t.expose('value', { type: 'JSON' }),
  }),
});

builder.prismaObjectFields(TicketType, (t) => ({
  links: t.prismaField({
    type: [TicketLinkType],
    authScopes: { agent: true },
    description: 'Links from and to this ticket (only to tickets you may see)',
    resolve: (query, ticket, _args, ctx) => tenantClient(ctx).ticketLink.findMany({
      ...query,
      where: {
        OR: [{ sourceTicketId: ticket.id, target: visibleTickets(ctx) }, { targetTicketId: ticket.id, source: visibleTickets(ctx) }],
      },
      orderBy: { createdAt: 'asc' },
    }),
  }),
  customFields: t.relation('customValues', {
    description: 'Values of the custom fields (customers see only the fields visible to them)',
    query: (_args, ctx) => (ctx.viewer.kind === 'customer' ? { where: { field: { visibleToCustomer: true } } } : {}),
  }),
}));

builder.queryField('customFieldDefinitions', (t) => t.prismaField({
  type: [CustomFieldDefinitionType],
  authScopes: { tenantMember: true },
  args: { queueId: t.arg.id({ description: 'Only the fields of this queue (and those for every queue)' }) },
  resolve: (query, _root, { queueId }, ctx) => tenantClient(ctx).customFieldDefinition.findMany({
    ...query,
    where: {
      ...(queueId ? { OR: [{ queueId: fromGlobalOrRawId(String(queueId)) }, { queueId: null }] } : {}),
      ...(ctx.viewer.kind === 'customer' ? { visibleToCustomer: true } : {}),
    },
    orderBy: [{ position: 'asc' }, { label: 'asc' }],
  }),
}));
