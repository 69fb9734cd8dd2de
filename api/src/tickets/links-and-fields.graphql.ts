import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { TicketType, visibleTickets } from './ticket.graphql.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { ticketErrors } from '../graphql/error-types.ts';
import { agentContext, useCaseContext } from '../graphql/use-case-context.ts';
import { saveCustomField, setTicketCustomFields } from './custom-fields.ts';

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

const SaveCustomFieldInput = builder.inputType('SaveCustomFieldInput', {
  fields: (t) => ({
    id: t.id({ description: 'Omit to create a field' }),
    key: t.string({ required: true }),
    label: t.string({ required: true }),
    type: t.field({ type: CustomFieldTypeEnum, required: true }),
    options: t.stringList(),
    queueId: t.id({ description: 'Omit for a field of every queue' }),
    required: t.boolean(),
    visibleToCustomer: t.boolean(),
    position: t.int(),
  }),
});

builder.mutationField('saveCustomField', (t) => t.prismaField({
  type: CustomFieldDefinitionType,
  authScopes: { admin: true },
  errors: { types: [ValidationError, ConflictError, NotFoundError], dataField: { name: 'customField' } },
  args: { input: t.arg({ type: SaveCustomFieldInput, required: true }) },
  resolve: (_q, _root, { input }, ctx) => saveCustomField(ctx.services.db, agentContext(ctx).viewer.tenantId, {
    id: input.id ? String(input.id) : undefined, key: input.key, label: input.label, type: input.type,
    options: input.options ?? [], queueId: input.queueId ? String(input.queueId) : null, required: input.required ?? false,
    visibleToCustomer: input.visibleToCustomer ?? true, position: input.position ?? 0,
  }),
}));

const CustomFieldValueInput = builder.inputType('CustomFieldValueInput', {
  fields: (t) => ({ key: t.string({ required: true }), value: t.field({ type: 'JSON', description: 'Text, an option, a list of options, YYYY-MM-DD, an ISO date-time, or null to clear' }) }),
});

builder.mutationField('setTicketCustomFields', (t) => t.prismaField({
  type: TicketType,
  authScopes: { agentWrite: true },
  errors: { types: ticketErrors, dataField: { name: 'ticket' } },
  args: { ticketId: t.arg.id({ required: true }), values: t.arg({ type: [CustomFieldValueInput], required: true }) },
  resolve: (_q, _root, args, ctx) => setTicketCustomFields(useCaseContext(ctx), fromGlobalOrRawId(String(args.ticketId)), args.values.map((v) => ({ key: v.key, value: v.value }))) as never,
}));
