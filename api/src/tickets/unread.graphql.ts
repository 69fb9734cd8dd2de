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

builder.prismaObjectFields(TicketType, (t) => ({
  unread: t.boolean({
    description: 'True when the ticket changed since you last opened it (or you never did)',
    // Planned into the list query: one batched read of the viewer's marks for the whole page.
    select: (_args, ctx) => ({ updatedAt: true, seen: { where: ownMark(ctx), select: { seenAt: true }, take: 1 } }),
    resolve: (ticket) => {
      const mark = ticket.seen[0];
      return !mark || ticket.updatedAt.getTime() > mark.seenAt.getTime();
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
