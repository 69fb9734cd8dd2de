import { builder } from '../graphql/builder.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { PriorityType, StateTypeEnum, TicketStateType, TicketTypeType } from '../queues/queue.graphql.ts';
import { TemplateType } from '../templates/template.graphql.ts';
import { savePriority, saveState, saveTemplate, saveTicketType } from './manage-vocabulary.ts';

const errors = (dataField: string) => ({ types: [ValidationError, ConflictError, NotFoundError], dataField: { name: dataField } });
const tenantOf = (ctx: Parameters<typeof agentContext>[0]) => agentContext(ctx).viewer.tenantId;
const opt = <T>(v: T | null | undefined) => v ?? undefined;

builder.mutationField('saveTicketState', (t) => t.prismaField({
  type: TicketStateType, authScopes: { admin: true }, errors: errors('state'),
  description: 'Create a state (without id) or rename / (de)activate one',
  args: { id: t.arg.id(), name: t.arg.string({ required: true }), type: t.arg({ type: StateTypeEnum }), active: t.arg.boolean() },
  resolve: (_q, _r, a, ctx) => saveState(ctx.services.db, tenantOf(ctx), { id: a.id ? String(a.id) : undefined, name: a.name, type: opt(a.type), active: opt(a.active) }) as never,
}));

builder.mutationField('savePriority', (t) => t.prismaField({
  type: PriorityType, authScopes: { admin: true }, errors: errors('priority'),
  args: { id: t.arg.id(), name: t.arg.string({ required: true }), level: t.arg.int(), color: t.arg.string(), active: t.arg.boolean() },
  resolve: (_q, _r, a, ctx) => savePriority(ctx.services.db, tenantOf(ctx), { id: a.id ? String(a.id) : undefined, name: a.name, level: opt(a.level), color: a.color, active: opt(a.active) }) as never,
}));

builder.mutationField('saveTicketType', (t) => t.prismaField({
  type: TicketTypeType, authScopes: { admin: true }, errors: errors('ticketType'),
  args: { id: t.arg.id(), name: t.arg.string({ required: true }), active: t.arg.boolean() },
  resolve: (_q, _r, a, ctx) => saveTicketType(ctx.services.db, tenantOf(ctx), { id: a.id ? String(a.id) : undefined, name: a.name, active: opt(a.active) }) as never,
}));

const TemplateKindArg = builder.enumType('TemplateKindInput', { values: ['ANSWER', 'CREATE', 'FORWARD', 'NOTE', 'SNIPPET'] as const });
builder.mutationField('saveTemplate', (t) => t.prismaField({
  type: TemplateType, authScopes: { admin: true }, errors: errors('template'),
  description: 'Create or change a canned response / snippet (placeholders: {{ticket.number}}, {{customer.name}}, …)',
  args: { id: t.arg.id(), name: t.arg.string({ required: true }), kind: t.arg({ type: TemplateKindArg }), body: t.arg.string(), active: t.arg.boolean() },
  resolve: (_q, _r, a, ctx) => saveTemplate(ctx.services.db, tenantOf(ctx), { id: a.id ? String(a.id) : undefined, name: a.name, kind: opt(a.kind), body: opt(a.body), active: opt(a.active) }) as never,
}));
