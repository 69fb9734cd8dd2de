import { StateType as StateTypeValues, withTenant } from '@parley/db';
import { builder } from '../graphql/builder.ts';
import { loadQueueAccess } from '../tickets/queue-access.ts';
import { queueCountsLoader } from './queue-counts-loader.ts';
import { tenantClient as withTenantDb, type GraphQLContext } from '../graphql/context.ts';

export const StateTypeEnum = builder.enumType('StateType', { values: Object.values(StateTypeValues) });
export const FollowUpOptionEnum = builder.enumType('FollowUpOption', { values: ['POSSIBLE', 'REJECT', 'NEW_TICKET'] as const });

export const QueueType = builder.prismaObject('Queue', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    comment: t.exposeString('comment', { nullable: true }),
    ticketPrefix: t.exposeString('ticketPrefix', { nullable: true }),
    openToCustomers: t.exposeBoolean('openToCustomers'),
    followUpOption: t.expose('followUpOption', { type: FollowUpOptionEnum }),
    unlockTimeoutMinutes: t.exposeInt('unlockTimeoutMinutes', { nullable: true, authScopes: { agent: true } }),
    followUpLock: t.exposeBoolean('followUpLock', { authScopes: { agent: true } }),
    salutation: t.exposeString('salutation', { nullable: true, authScopes: { agent: true } }),
    signature: t.exposeString('signature', { nullable: true, authScopes: { agent: true } }),
    systemAddress: t.exposeString('systemAddress', { nullable: true }),
    active: t.exposeBoolean('active', { authScopes: { agent: true } }),
    ticketCounts: t.field({
      type: [QueueCount],
      authScopes: { agent: true },
      description: 'Open working tickets (not archived) per state type',
      resolve: (queue, _args, ctx) => queueCounts(ctx, queue.id),
    }),
  }),
});

const QueueCount = builder.objectRef<{ stateType: string; count: number }>('QueueStateCount').implement({
  fields: (t) => ({
    stateType: t.field({ type: StateTypeEnum, resolve: (c) => c.stateType as never }),
    count: t.exposeInt('count'),
  }),
});

const loaders = new WeakMap<object, ReturnType<typeof queueCountsLoader>>();

/** One grouped query per request for all the queues asked for (see queue-counts-loader.ts). */
function queueCounts(ctx: GraphQLContext, queueId: string) {
  const v = ctx.viewer;
  if (v.kind !== 'agent') return [];
  let load = loaders.get(ctx);
  if (!load) loaders.set(ctx, (load = queueCountsLoader(ctx.services.db, v.tenantId)));
  return load(queueId);
}

export const TicketStateType = builder.prismaObject('TicketState', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    type: t.expose('type', { type: StateTypeEnum }),
  }),
});

export const PriorityType = builder.prismaObject('Priority', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    level: t.exposeInt('level'),
    color: t.exposeString('color', { nullable: true }),
  }),
});

export const TicketTypeType = builder.prismaObject('TicketType', {
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

builder.queryField('queues', (t) => t.prismaField({
  type: [QueueType],
  authScopes: { agent: true },
  description: 'The queues the agent may read',
  resolve: async (query, _root, _args, ctx) => {
    const v = ctx.viewer;
    if (v.kind !== 'agent') return [];
    return withTenant(ctx.services.db, v.tenantId, async (tx) => {
      const access = await loadQueueAccess(tx, v);
      return tx.queue.findMany({
        ...query,
        where: { active: true, ...(access.readable === 'all' ? {} : { id: { in: access.readable } }) },
        orderBy: { name: 'asc' },
      });
    });
  },
}));

builder.queryField('portalQueues', (t) => t.prismaField({
  type: [QueueType],
  authScopes: { tenantMember: true },
  description: 'Queues customers may open tickets in',
  resolve: (query, _root, _args, ctx) => withTenantDb(ctx).queue.findMany({ ...query, where: { active: true, openToCustomers: true }, orderBy: { name: 'asc' } }),
}));

builder.queryField('ticketStates', (t) => t.prismaField({
  type: [TicketStateType],
  authScopes: { tenantMember: true },
  resolve: (query, _root, _args, ctx) => withTenantDb(ctx).ticketState.findMany({ ...query, where: { active: true }, orderBy: { name: 'asc' } }),
}));

builder.queryField('priorities', (t) => t.prismaField({
  type: [PriorityType],
  authScopes: { tenantMember: true },
  resolve: (query, _root, _args, ctx) => withTenantDb(ctx).priority.findMany({ ...query, where: { active: true }, orderBy: { level: 'asc' } }),
}));

builder.queryField('ticketTypes', (t) => t.prismaField({
  type: [TicketTypeType],
  authScopes: { agent: true },
  resolve: (query, _root, _args, ctx) => withTenantDb(ctx).ticketType.findMany({ ...query, where: { active: true }, orderBy: { name: 'asc' } }),
}));
