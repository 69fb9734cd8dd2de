import { filter, pipe, Repeater } from 'graphql-yoga';
import { builder } from '../graphql/builder.ts';
import { tenantClient, type GraphQLContext } from '../graphql/context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { TicketType, visibleTickets } from '../tickets/ticket.graphql.ts';
import { canSeeEvent, TICKET_EVENT_KINDS, type TicketEvent } from './ticket-event.ts';
import { countOpenTickets, type QueueCounter } from './queue-counters.ts';

export const TicketEventKindEnum = builder.enumType('TicketEventKind', { values: TICKET_EVENT_KINDS });
const SlaTargetEnum = builder.enumType('SlaTargetName', { values: ['FIRST_RESPONSE', 'UPDATE', 'SOLUTION'] as const });

export const TicketEventRef = builder.objectRef<TicketEvent>('TicketEvent').implement({
  description: 'Something happened to a ticket (live updates; the same events feed webhooks).',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: TicketEventKindEnum }),
    at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at) }),
    ticketId: t.exposeID('ticketId', { description: 'The ticket\'s UUID' }),
    queueId: t.exposeID('queueId'),
    previousQueueId: t.exposeID('previousQueueId', { nullable: true }),
    articleId: t.exposeID('articleId', { nullable: true }),
    actorUserId: t.exposeID('actorUserId', { nullable: true }),
    changes: t.exposeStringList('changes', { nullable: true }),
    slaTarget: t.field({ type: SlaTargetEnum, nullable: true, resolve: (e) => e.slaTarget ?? null }),
    dueAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => (e.dueAt ? new Date(e.dueAt) : null) }),
    ticket: t.field({
      type: TicketType, nullable: true, description: 'The ticket as it is now (null when no longer visible)',
      resolve: (e, _a, ctx) => tenantClient(ctx).ticket.findFirst({ where: { id: e.ticketId, AND: [visibleTickets(ctx)] } }) as never,
    }),
  }),
});

/** The viewer's tenant's events, cut to what they may see and to `wanted`. */
function eventsFor(ctx: GraphQLContext, wanted: (e: TicketEvent) => boolean): AsyncIterable<TicketEvent> {
  const v = ctx.viewer;
  if (v.kind !== 'agent' && v.kind !== 'customer') throw new Error('unreachable: authScopes admit tenant members only');
  return pipe(
    ctx.services.events.pubsub.subscribe('ticket-events', v.tenantId),
    filter((e: TicketEvent) => canSeeEvent(v, ctx.access, e) && wanted(e)),
  );
}

const id = (raw: string | number | null | undefined) => (raw == null ? null : fromGlobalOrRawId(String(raw)));
const matches = (e: TicketEvent, queueId: string | null, ticketId: string | null) =>
  (!ticketId || e.ticketId === ticketId) && (!queueId || e.queueId === queueId || e.previousQueueId === queueId);

builder.subscriptionField('ticketChanged', (t) => t.field({
  type: TicketEventRef,
  description: 'Every event of the tickets you can see, optionally of one queue or one ticket',
  authScopes: { tenantMember: true },
  args: { queueId: t.arg.id(), ticketId: t.arg.id() },
  subscribe: (_root, args, ctx) => {
    const [q, tk] = [id(args.queueId), id(args.ticketId)];
    return eventsFor(ctx, (e) => matches(e, q, tk));
  },
  resolve: (e) => e,
}));

builder.subscriptionField('articleAdded', (t) => t.field({
  type: TicketEventRef,
  description: 'New articles (customers: only those they can see), of one ticket or one queue',
  authScopes: { tenantMember: true },
  args: { ticketId: t.arg.id(), queueId: t.arg.id() },
  subscribe: (_root, args, ctx) => {
    const [q, tk] = [id(args.queueId), id(args.ticketId)];
    return eventsFor(ctx, (e) => e.kind === 'ARTICLE_ADDED' && matches(e, q, tk));
  },
  resolve: (e) => e,
}));

builder.subscriptionField('ticketLocked', (t) => t.field({
  type: TicketEventRef,
  description: 'Locks taken and released (agents)',
  authScopes: { agent: true },
  args: { ticketId: t.arg.id(), queueId: t.arg.id() },
  subscribe: (_root, args, ctx) => {
    const [q, tk] = [id(args.queueId), id(args.ticketId)];
    return eventsFor(ctx, (e) => (e.kind === 'TICKET_LOCKED' || e.kind === 'TICKET_UNLOCKED') && matches(e, q, tk));
  },
  resolve: (e) => e,
}));

builder.subscriptionField('escalations', (t) => t.field({
  type: TicketEventRef,
  description: 'SLA warnings and breaches of the queues you can see',
  authScopes: { agent: true },
  args: { queueId: t.arg.id() },
  subscribe: (_root, args, ctx) => {
    const q = id(args.queueId);
    return eventsFor(ctx, (e) => (e.kind === 'SLA_WARNING' || e.kind === 'SLA_BREACH') && matches(e, q, null));
  },
  resolve: (e) => e,
}));

const QueueCounterRef = builder.objectRef<QueueCounter>('QueueCounter').implement({
  fields: (t) => ({
    queueId: t.exposeID('queueId'),
    new: t.exposeInt('new'),
    open: t.exposeInt('open'),
    pending: t.exposeInt('pending'),
    escalated: t.exposeInt('escalated', { description: 'Working tickets past an SLA deadline' }),
  }),
});

builder.subscriptionField('queueCounters', (t) => t.field({
  type: [QueueCounterRef],
  description: 'Working-set counters of your queues: sent at once, then after changes (at most every 500 ms)',
  authScopes: { agent: true },
  subscribe: (_root, _args, ctx) => {
    const v = ctx.viewer;
    if (v.kind !== 'agent') throw new Error('unreachable');
    const readable = ctx.access?.readable ?? [];
    const count = () => countOpenTickets(ctx.services.db, v.tenantId, readable);
    return new Repeater<QueueCounter[]>(async (push, stop) => {
      let timer: NodeJS.Timeout | null = null;
      const events = eventsFor(ctx, () => true)[Symbol.asyncIterator]();
      void stop.then(() => { if (timer) clearTimeout(timer); void events.return?.(); });
      await push(await count());
      for (let r = await events.next(); !r.done; r = await events.next()) {
        timer ??= setTimeout(() => { timer = null; count().then(push, () => {}); }, 500);
      }
      await stop;
    });
  },
  resolve: (counters) => counters,
}));
