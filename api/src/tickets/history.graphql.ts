import { builder } from '../graphql/builder.ts';
import { TicketType } from './ticket.graphql.ts';
import { tenantClient, type GraphQLContext } from '../graphql/context.ts';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export const TicketHistoryType = builder.prismaObject('TicketHistory', {
  name: 'TicketHistoryEntry',
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.exposeString('action'),
    field: t.exposeString('field', { nullable: true }),
    oldValue: t.exposeString('oldValue', { nullable: true }),
    newValue: t.exposeString('newValue', { nullable: true }),
    actor: t.relation('actorUser', { nullable: true }),
    customerActor: t.relation('actorCustomer', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const TicketViewType = builder.prismaObject('TicketView', {
  name: 'TicketViewEntry',
  fields: (t) => ({
    id: t.exposeID('id'),
    user: t.relation('user', { nullable: true }),
    customerUser: t.relation('customerUser', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    viewedAt: t.expose('viewedAt', { type: 'DateTime' }),
  }),
});

type TicketFieldBuilder = Parameters<Parameters<typeof builder.prismaObjectFields<typeof TicketType>>[1]>[0];

/**
 * Whether the viewer watches / starred the ticket: loaded with the ticket list in one query
 * (select), or looked up when the ticket came from a mutation without that selection.
 */
function watchField(t: TicketFieldBuilder, kind: 'STAR' | 'WATCH') {
  const userOf = (ctx: GraphQLContext) => (ctx.viewer.kind === 'agent' ? ctx.viewer.userId : NIL_UUID);
  return t.boolean({
    authScopes: { agent: true },
    select: (_args, ctx) => ({ watches: { where: { userId: userOf(ctx), kind }, select: { kind: true } } }),
    resolve: async (ticket, _args, ctx) => {
      const loaded = (ticket as { watches?: unknown[] }).watches;
      if (loaded) return loaded.length > 0;
      return (await tenantClient(ctx).ticketWatch.count({ where: { ticketId: ticket.id, userId: userOf(ctx), kind } })) > 0;
    },
  });
}

builder.prismaObjectFields(TicketType, (t) => ({
  history: t.relatedConnection('history', {
    cursor: 'id',
    authScopes: { agent: true },
    query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    description: 'Every change, newest first (agents only)',
  }),
  views: t.relation('views', {
    authScopes: { agent: true },
    args: { last: t.arg.int({ defaultValue: 50 }) },
    query: (args) => ({ orderBy: { viewedAt: 'desc' }, take: Math.min(args.last ?? 50, 200) }),
    description: 'Who opened the ticket, newest first (agents only)',
  }),
  starred: watchField(t, 'STAR'),
  watched: watchField(t, 'WATCH'),
}));
