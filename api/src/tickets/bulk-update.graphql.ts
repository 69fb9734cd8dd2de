import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../graphql/builder.ts';
import { ticketErrors } from '../graphql/error-types.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { ForbiddenError, ValidationError } from '../errors/app-error.ts';
import { TicketType } from './ticket.graphql.ts';
import { BULK_MAX_TICKETS, bulkUpdateTickets, type BulkTicketOutcome } from './bulk-update-tickets.ts';

const BulkTicketChanges = builder.inputType('BulkTicketChanges', {
  description: 'What to change on every ticket; absent fields stay as they are',
  fields: (t) => ({
    stateId: t.id(),
    pendingUntil: t.field({ type: 'DateTime', description: 'Needed with a pending state' }),
    priorityId: t.id(),
    ownerId: t.id({ description: 'The new owner; null clears it' }),
    queueId: t.id({ description: 'Move to this queue (needs move_into there)' }),
  }),
});

const BulkUpdateTicketsInput = builder.inputType('BulkUpdateTicketsInput', {
  fields: (t) => ({
    ticketIds: t.idList({ required: true, description: `At most ${BULK_MAX_TICKETS}` }),
    changes: t.field({ type: BulkTicketChanges, required: true }),
  }),
});

const BulkTicketResult = builder.objectRef<BulkTicketOutcome>('BulkTicketResult').implement({
  description: 'The outcome for one ticket: the changed ticket, or why it was not changed',
  fields: (t) => ({
    ticketId: t.id({ description: 'The ticket\'s global id (as Ticket.id)', resolve: (o) => encodeGlobalID('Ticket', o.ticketId) }),
    ok: t.boolean({ resolve: (o) => o.error === null }),
    ticket: t.field({ type: TicketType, nullable: true, resolve: (o) => o.ticket as never }),
    // A typed union like a single mutation's: BulkTicketOutcomeSuccess { ticket } | LockedError | ...
    outcome: t.field({
      type: TicketType,
      errors: { types: ticketErrors, dataField: { name: 'ticket' }, union: { name: 'BulkTicketOutcome' }, result: { name: 'BulkTicketOutcomeSuccess' } },
      resolve: (o) => { if (o.error) throw o.error; return o.ticket as never; },
    }),
  }),
});

const idOrNull = (v: string | number | null | undefined) => (v === undefined ? undefined : v === null || v === '' ? null : fromGlobalOrRawId(String(v)));
const idOrUndefined = (v: string | number | null | undefined) => (v ? fromGlobalOrRawId(String(v)) : undefined);

builder.mutationField('bulkUpdateTickets', (t) => t.field({
  type: [BulkTicketResult],
  description: 'Apply the same changes to many tickets; each succeeds or fails on its own (a ticket locked by another agent is refused)',
  authScopes: { agentWrite: true },
  errors: { types: [ValidationError, ForbiddenError], dataField: { name: 'results' } },
  args: { input: t.arg({ type: BulkUpdateTicketsInput, required: true }) },
  resolve: (_root, { input }, ctx) => {
    const c = input.changes;
    return bulkUpdateTickets(agentContext(ctx), {
      ticketIds: input.ticketIds.map((id) => fromGlobalOrRawId(String(id))),
      changes: {
        stateId: idOrUndefined(c.stateId), pendingUntil: c.pendingUntil ?? null,
        priorityId: idOrUndefined(c.priorityId), queueId: idOrUndefined(c.queueId),
        ownerId: idOrNull(c.ownerId),
      },
    });
  },
}));
