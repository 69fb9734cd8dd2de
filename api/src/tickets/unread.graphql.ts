import type { Prisma } from '@parley/db';
import { builder } from '../graphql/builder.ts';
import { ticketErrors } from '../graphql/error-types.ts';
import { tenantClient, type GraphQLContext } from '../graphql/context.ts';
import { useCaseContext } from '../graphql/use-case-context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { TicketType } from './ticket.graphql.ts';
import { markTicketSeen } from './mark-ticket-seen.ts';

/** The viewer's own last-seen mark (agents and customers keep theirs apart). */
function ownMark(ctx: GraphQLContext): Prisma.TicketSeenWhereInput {
  const v = ctx.viewer;
  if (v.kind === 'agent') return { userId: v.userId };
  if (v.kind === 'customer') return { customerUserId: v.customerUserId };
  return { id: { in: [] } };
}

/**
 * What counts as new activity. Agents: any change of the ticket. Customers: only what they can
 * see — a reply or message visible to them, or a change of state — so an internal note, a
 * priority change or a lock never lights up a customer's list.
 */
builder.prismaObjectFields(TicketType, (t) => ({
  unread: t.boolean({
    description: 'True when the ticket changed since you last opened it (or you never did); for customers, only changes they can see count',
    // Planned into the list query: one batched read of the viewer's marks for the whole page.
    select: (_args, ctx) => ({
      updatedAt: true, createdAt: true,
      seen: { where: ownMark(ctx), select: { seenAt: true }, take: 1 },
      ...(ctx.viewer.kind === 'customer' ? {
        articles: { where: { visibleToCustomer: true, deletedAt: null }, orderBy: { createdAt: 'desc' as const }, take: 1, select: { createdAt: true } },
        history: { where: { field: 'state' }, orderBy: { createdAt: 'desc' as const }, take: 1, select: { createdAt: true } },
      } : {}),
    }),
    resolve: (ticket, _args, ctx) => {
      const mark = ticket.seen[0];
      if (!mark) return true;
      const t = ticket as typeof ticket & { articles?: { createdAt: Date }[]; history?: { createdAt: Date }[] };
      const changed = ctx.viewer.kind === 'customer'
        ? Math.max(t.createdAt.getTime(), t.articles?.[0]?.createdAt.getTime() ?? 0, t.history?.[0]?.createdAt.getTime() ?? 0)
        : ticket.updatedAt.getTime();
      return changed > mark.seenAt.getTime();
    },
  }),
}));

const MarkTicketSeenInput = builder.inputType('MarkTicketSeenInput', { fields: (t) => ({ ticketId: t.id({ required: true }) }) });

builder.mutationField('markTicketSeen', (t) => t.prismaField({
  type: TicketType,
  description: 'Mark the ticket as seen by you as it is now (opening it with recordTicketView does this too)',
  authScopes: { tenantMember: true },
  errors: { types: ticketErrors, dataField: { name: 'ticket' } },
  args: { input: t.arg({ type: MarkTicketSeenInput, required: true }) },
  resolve: async (query, _root, { input }, ctx) => {
    const ticket = await markTicketSeen(useCaseContext(ctx), fromGlobalOrRawId(String(input.ticketId)));
    // read back with the selection of the request (unread needs the viewer's new mark); a request
    // that selects no ticket field (`{ __typename }`) gives an empty select, which Prisma refuses
    const emptySelect = 'select' in query && query.select && Object.keys(query.select).length === 0;
    if (emptySelect) return ticket;
    return tenantClient(ctx).ticket.findUniqueOrThrow({ ...query, where: { id: ticket.id } });
  },
}));
