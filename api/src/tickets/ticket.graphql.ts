import type { Prisma } from '@parley/db';
import { builder } from '../graphql/builder.ts';
import { tenantClient, type GraphQLContext } from '../graphql/context.ts';
import { PriorityType, QueueType, StateTypeEnum, TicketStateType, TicketTypeType } from '../queues/queue.graphql.ts';
import { AgentType } from '../agents/agent.graphql.ts';
import { lookup, type VocabularyTable } from './vocabulary.ts';
import { ticketVisibility } from './queue-access.ts';
import { searchTicketIds } from './search-tickets.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';

const ids = (list: readonly (string | number)[]) => list.map((v) => fromGlobalOrRawId(String(v)));

/** The tickets the viewer may see (row-level security has already cut to the tenant). */
export function visibleTickets(ctx: GraphQLContext): Prisma.TicketWhereInput {
  const v = ctx.viewer;
  if (v.kind !== 'agent' && v.kind !== 'customer') return { id: { in: [] } };
  return ticketVisibility(v, ctx.access);
}

async function fromVocabulary(ctx: GraphQLContext, kind: VocabularyTable, id: string | null) {
  const v = ctx.viewer;
  if (v.kind !== 'agent' && v.kind !== 'customer') return null;
  const row = await lookup(tenantClient(ctx), v.tenantId, kind, id);
  if (row && kind === 'agents') return { ...row, passwordHash: '' };
  return row;
}

export const TicketChannelEnum = builder.enumType('TicketChannel', { values: ['EMAIL', 'PHONE', 'PORTAL', 'NOTE', 'CHAT', 'API'] as const });

export const TicketType = builder.prismaNode('Ticket', {
  id: { field: 'id' },
  // node(id:) goes through the same visibility filter as every other ticket read.
  findUnique: (id, ctx) => ({ id, AND: [visibleTickets(ctx)] }),
  fields: (t) => ({
    number: t.exposeString('number'),
    title: t.exposeString('title'),
    channel: t.expose('channel', { type: TicketChannelEnum }),
    // The small per-tenant tables come from the vocabulary cache, not one query per relation.
    queue: t.field({ type: QueueType, resolve: (t, _a, ctx) => fromVocabulary(ctx, 'queues', t.queueId) as never }),
    state: t.field({ type: TicketStateType, resolve: (t, _a, ctx) => fromVocabulary(ctx, 'states', t.stateId) as never }),
    priority: t.field({ type: PriorityType, resolve: (t, _a, ctx) => fromVocabulary(ctx, 'priorities', t.priorityId) as never }),
    type: t.field({ type: TicketTypeType, nullable: true, resolve: (t, _a, ctx) => fromVocabulary(ctx, 'types', t.typeId) as never }),
    owner: t.field({ type: AgentType, nullable: true, resolve: (t, _a, ctx) => fromVocabulary(ctx, 'agents', t.ownerId) as never }),
    responsible: t.field({ type: AgentType, nullable: true, resolve: (t, _a, ctx) => fromVocabulary(ctx, 'agents', t.responsibleId) as never }),
    lockedBy: t.field({ type: AgentType, nullable: true, resolve: (t, _a, ctx) => fromVocabulary(ctx, 'agents', t.lockedById) as never }),
    lockedAt: t.expose('lockedAt', { type: 'DateTime', nullable: true }),
    customerUser: t.relation('customerUser', { nullable: true }),
    customerCompany: t.relation('customerCompany', { nullable: true }),
    mergedInto: t.relation('mergedInto', { nullable: true }),
    archived: t.exposeBoolean('archived'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    pendingUntil: t.expose('pendingUntil', { type: 'DateTime', nullable: true }),
    firstResponseAt: t.expose('firstResponseAt', { type: 'DateTime', nullable: true }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    firstResponseDueAt: t.expose('firstResponseDueAt', { type: 'DateTime', nullable: true, authScopes: { agent: true } }),
    updateDueAt: t.expose('updateDueAt', { type: 'DateTime', nullable: true, authScopes: { agent: true } }),
    solutionDueAt: t.expose('solutionDueAt', { type: 'DateTime', nullable: true, authScopes: { agent: true } }),
    submitterIp: t.exposeString('submitterIp', { nullable: true, authScopes: { agent: true } }),
    submitterUserAgent: t.exposeString('submitterUserAgent', { nullable: true, authScopes: { agent: true } }),
    submitterSourceUrl: t.exposeString('submitterSourceUrl', { nullable: true, authScopes: { agent: true } }),
    submittedAsGuest: t.exposeBoolean('submittedAsGuest', { authScopes: { agent: true } }),
  }),
});

const TicketFilter = builder.inputType('TicketFilter', {
  fields: (t) => ({
    queueIds: t.idList(),
    stateTypes: t.field({ type: [StateTypeEnum] }),
    stateIds: t.idList(),
    priorityIds: t.idList(),
    ownerId: t.id(),
    customerUserId: t.id(),
    customerCompanyId: t.id({ description: 'Tickets of this customer company' }),
    locked: t.boolean(),
    starred: t.boolean({ description: 'Only my favourites' }),
    text: t.string({ description: 'Matches the number, the title, or words of any article' }),
    includeArchived: t.boolean({ description: 'Also search the archive (default: working tickets only)' }),
  }),
});

const TicketOrderField = builder.enumType('TicketOrderField', { values: ['CREATED_AT', 'UPDATED_AT', 'PRIORITY', 'NUMBER'] as const });
const OrderDirection = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });
const TicketOrder = builder.inputType('TicketOrder', {
  fields: (t) => ({
    field: t.field({ type: TicketOrderField, required: true }),
    direction: t.field({ type: OrderDirection, defaultValue: 'DESC' }),
  }),
});

type FilterShape = typeof TicketFilter.$inferInput;

async function ticketWhere(ctx: GraphQLContext, f: FilterShape | null | undefined): Promise<Prisma.TicketWhereInput> {
  const and: Prisma.TicketWhereInput[] = [visibleTickets(ctx)];
  if (!f?.includeArchived) and.push({ archived: false });
  if (f?.queueIds?.length) and.push({ queueId: { in: ids(f.queueIds) } });
  if (f?.stateTypes?.length) and.push({ state: { type: { in: f.stateTypes } } });
  if (f?.stateIds?.length) and.push({ stateId: { in: ids(f.stateIds) } });
  if (f?.priorityIds?.length) and.push({ priorityId: { in: ids(f.priorityIds) } });
  if (f?.ownerId) and.push({ ownerId: fromGlobalOrRawId(String(f.ownerId)) });
  if (f?.customerUserId) and.push({ customerUserId: fromGlobalOrRawId(String(f.customerUserId)) });
  if (f?.customerCompanyId) and.push({ customerCompanyId: fromGlobalOrRawId(String(f.customerCompanyId)) });
  if (f?.locked != null) and.push({ lockedById: f.locked ? { not: null } : null });
  if (f?.starred && ctx.viewer.kind === 'agent') and.push({ watches: { some: { userId: ctx.viewer.userId, kind: 'STAR' } } });
  if (f?.text?.trim()) {
    const text = f.text.trim();
    const ids = await searchTicketIds(tenantClient(ctx), text);
    and.push({ OR: [{ number: { startsWith: text } }, { title: { contains: text, mode: 'insensitive' } }, { id: { in: ids } }] });
  }
  return { AND: and };
}

function ticketOrder(order: typeof TicketOrder.$inferInput | null | undefined): Prisma.TicketOrderByWithRelationInput[] {
  const dir = order?.direction === 'ASC' ? 'asc' : 'desc';
  switch (order?.field ?? 'CREATED_AT') {
    case 'UPDATED_AT': return [{ updatedAt: dir }, { id: dir }];
    case 'PRIORITY': return [{ priority: { level: dir } }, { createdAt: 'desc' }, { id: 'desc' }];
    case 'NUMBER': return [{ number: dir }];
    default: return [{ createdAt: dir }, { id: dir }];
  }
}

builder.queryField('tickets', (t) => t.prismaConnection({
  type: TicketType,
  cursor: 'id',
  authScopes: { tenantMember: true },
  maxSize: 200,
  defaultSize: 50,
  args: {
    filter: t.arg({ type: TicketFilter }),
    orderBy: t.arg({ type: TicketOrder }),
  },
  resolve: async (query, _root, args, ctx) => tenantClient(ctx).ticket.findMany({
    ...query, where: await ticketWhere(ctx, args.filter), orderBy: ticketOrder(args.orderBy),
  }),
  totalCount: async (_root, args, ctx) => tenantClient(ctx).ticket.count({ where: await ticketWhere(ctx, args.filter) }),
}, {}));

builder.queryField('ticket', (t) => t.prismaField({
  type: TicketType,
  nullable: true,
  authScopes: { tenantMember: true },
  description: 'A ticket by its number (archived ones included); null when absent or not visible',
  args: { number: t.arg.string({ required: true }) },
  resolve: (query, _root, { number }, ctx) => tenantClient(ctx).ticket.findFirst({ ...query, where: { number, ...visibleTickets(ctx) } }),
}));
