import { filter, pipe, Repeater } from 'graphql-yoga';
import type { AgentViewer } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError, RateLimitedError } from '../errors/app-error.ts';
import { builder } from '../graphql/builder.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { PRESENCE_ACTIVITIES, presenceStore, type PresenceEntry } from './presence-store.ts';
import { presenceRateLimit } from './presence-rate-limit.ts';
import { announceTicketPresence, leaveTicketPresence, visibleTicketFor, type PresenceContext } from './ticket-presence.ts';

const ActivityEnum = builder.enumType('TicketPresenceActivity', { values: PRESENCE_ACTIVITIES });

const PresenceRef = builder.objectRef<PresenceEntry>('TicketPresence').implement({
  description: 'An agent who has the ticket open right now',
  fields: (t) => ({
    agentId: t.exposeID('userId'),
    name: t.exposeString('name'),
    activity: t.expose('activity', { type: ActivityEnum }),
    since: t.field({ type: 'DateTime', description: 'Last announcement', resolve: (e) => new Date(e.at) }),
  }),
});

function presenceContext(ctx: GraphQLContext): PresenceContext {
  const v = ctx.viewer;
  if (v.kind !== 'agent') throw new ForbiddenError('Only agents can do this');
  const { db, redis, events } = ctx.services;
  return {
    db, viewer: v as AgentViewer, store: presenceStore(redis),
    signal: (s) => events.pubsub.publish('ticket-presence', s.tenantId, s),
    limit: presenceRateLimit(redis),
  };
}

const PresenceInput = builder.inputType('AnnounceTicketPresenceInput', {
  fields: (t) => ({ ticketId: t.id({ required: true }), activity: t.field({ type: ActivityEnum, required: true }) }),
});

builder.mutationField('announceTicketPresence', (t) => t.field({
  type: [PresenceRef],
  description: 'Heartbeat (every 15–20 s) while you have the ticket open; entries expire after 45 s. Returns everyone present.',
  authScopes: { agent: true },
  errors: { types: [NotFoundError, ForbiddenError, RateLimitedError], dataField: { name: 'presence' } },
  args: { input: t.arg({ type: PresenceInput, required: true }) },
  resolve: (_r, { input }, ctx) => announceTicketPresence(presenceContext(ctx), fromGlobalOrRawId(String(input.ticketId)), input.activity),
}));

builder.mutationField('leaveTicketPresence', (t) => t.field({
  type: [PresenceRef],
  description: 'You closed the ticket: others stop seeing you at once',
  authScopes: { agent: true },
  errors: { types: [NotFoundError, ForbiddenError], dataField: { name: 'presence' } },
  args: { ticketId: t.arg.id({ required: true }) },
  resolve: (_r, args, ctx) => leaveTicketPresence(presenceContext(ctx), fromGlobalOrRawId(String(args.ticketId))),
}));

/** Re-read at least this often, so an agent whose tab died disappears without a signal. */
const SWEEP_MS = 10_000;

builder.subscriptionField('ticketPresence', (t) => t.field({
  type: [PresenceRef],
  description: 'Who has this ticket open (you included): sent at once, then on every arrival, departure or activity change',
  authScopes: { agent: true },
  args: { ticketId: t.arg.id({ required: true }) },
  subscribe: async (_root, args, ctx) => {
    const pc = presenceContext(ctx);
    const { ticketId } = await visibleTicketFor(pc, fromGlobalOrRawId(String(args.ticketId)));
    const tenantId = pc.viewer.tenantId;
    return new Repeater<PresenceEntry[]>(async (push, stop) => {
      let last = '';
      const send = async () => {
        const list = await pc.store.list(tenantId, ticketId);
        const shape = JSON.stringify(list.map((e) => [e.userId, e.activity]));
        if (shape !== last) { last = shape; await push(list); }
      };
      const signals = pipe(
        ctx.services.events.pubsub.subscribe('ticket-presence', tenantId),
        filter((s: { ticketId: string }) => s.ticketId === ticketId),
      )[Symbol.asyncIterator]();
      const sweep = setInterval(() => { send().catch(() => {}); }, SWEEP_MS);
      void stop.then(() => { clearInterval(sweep); void signals.return?.(); });
      await send();
      for (let r = await signals.next(); !r.done; r = await signals.next()) await send().catch(() => {});
      await stop;
    });
  },
  resolve: (list) => list,
}));
