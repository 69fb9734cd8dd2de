import { builder } from '../graphql/builder.ts';
import { ticketErrors } from '../graphql/error-types.ts';
import { agentContext, useCaseContext } from '../graphql/use-case-context.ts';
import { TicketType, TicketChannelEnum } from './ticket.graphql.ts';
import { ArticleType } from './article.graphql.ts';
import { TicketViewType } from './history.graphql.ts';
import { createTicket } from './create-ticket.ts';
import { addArticle } from './add-article.ts';
import { assignTicket, closeTicket, moveTicket, setResponsible, setTicketPriority, setTicketState } from './update-ticket.ts';
import { lockTicket, unlockTicket } from './lock-ticket.ts';
import { mergeTickets, unmergeTicket } from './merge-tickets.ts';
import { linkTickets } from './link-tickets.ts';
import { setTicketWatch } from './watch-ticket.ts';
import { recordTicketView } from './record-ticket-view.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { NoIncidentLeftError } from '../billing/billing-errors.ts';
import { AttachmentUnusableError } from '../attachments/attachment-errors.ts';

const attachmentIdsField = { description: 'Ids from POST /attachments (your own uploads, each usable once), attached to the new article' };
const attachmentIdsOf = (ids: readonly (string | number)[] | null | undefined) => ids?.map((id) => String(id));

const ticketResult = { types: ticketErrors, dataField: { name: 'ticket' } };

/** A mutation taking `{ ticketId, ...rest }` and returning the changed ticket. */
function ticketMutation<Fields extends Record<string, unknown>>(
  name: string, description: string, scope: 'agentWrite' | 'tenantMember',
  fields: (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => Fields,
  run: (input: Record<string, unknown> & { ticketId: string }, ctx: Parameters<typeof useCaseContext>[0]) => Promise<{ id: string }>,
) {
  const Input = builder.inputType(`${name[0].toUpperCase()}${name.slice(1)}Input`, {
    fields: (t) => ({ ticketId: t.id({ required: true }), ...fields(t) }) as never,
  });
  builder.mutationField(name, (t) => t.prismaField({
    type: TicketType, description, authScopes: { [scope]: true }, errors: ticketResult,
    args: { input: t.arg({ type: Input, required: true }) },
    resolve: async (_query, _root, { input }, ctx) => {
      const i = input as Record<string, unknown>;
      const changed = await run({ ...i, ticketId: fromGlobalOrRawId(i.ticketId as string) }, ctx);
      return changed as never;
    },
  }));
}

const CreateTicketInput = builder.inputType('CreateTicketInput', {
  fields: (t) => ({
    queueId: t.id({ required: true }),
    title: t.string({ required: true }),
    body: t.string({ required: true }),
    customerEmail: t.string({ description: 'Agents: the customer the ticket is for (created on first contact)' }),
    customerName: t.string(),
    priorityId: t.id(),
    typeId: t.id(),
    ownerId: t.id(),
    channel: t.field({ type: TicketChannelEnum }),
    sourceUrl: t.string({ description: 'The page the customer wrote from' }),
    attachmentIds: t.idList(attachmentIdsField),
  }),
});

builder.mutationField('createTicket', (t) => t.prismaField({
  type: TicketType,
  authScopes: { $any: { agentWrite: true, customer: true } },
  errors: { ...ticketResult, types: [...ticketErrors, NoIncidentLeftError, AttachmentUnusableError] },
  args: { input: t.arg({ type: CreateTicketInput, required: true }) },
  resolve: (_query, _root, { input }, ctx) => createTicket(useCaseContext(ctx), {
    queueId: String(input.queueId), title: input.title, body: input.body,
    customerEmail: input.customerEmail ?? undefined, customerName: input.customerName ?? undefined,
    priorityId: input.priorityId ? String(input.priorityId) : undefined, typeId: input.typeId ? String(input.typeId) : undefined,
    ownerId: input.ownerId ? String(input.ownerId) : undefined, channel: input.channel ?? undefined, sourceUrl: input.sourceUrl ?? undefined,
    attachmentIds: attachmentIdsOf(input.attachmentIds),
  }),
}));

const ArticleKind = builder.enumType('ArticleKind', { values: ['REPLY', 'NOTE', 'PHONE'] as const });
const AddArticleInput = builder.inputType('AddArticleInput', {
  fields: (t) => ({
    ticketId: t.id({ required: true }),
    kind: t.field({ type: ArticleKind, defaultValue: 'REPLY' }),
    body: t.string({ required: true }),
    subject: t.string(),
    timeMinutes: t.int(),
    visibleToCustomer: t.boolean(),
    attachmentIds: t.idList(attachmentIdsField),
  }),
});
const AddArticlePayload = builder.objectRef<{ article: { id: string }; ticket: { id: string } }>('AddArticlePayload').implement({
  fields: (t) => ({
    article: t.field({ type: ArticleType, resolve: (p) => p.article as never }),
    ticket: t.field({ type: TicketType, resolve: (p) => p.ticket as never }),
  }),
});

builder.mutationField('addArticle', (t) => t.field({
  type: AddArticlePayload,
  description: 'Reply to the customer, add an internal note or record a phone call. Replying locks the ticket to you.',
  authScopes: { $any: { agentWrite: true, customer: true } },
  errors: { types: [...ticketErrors, AttachmentUnusableError], dataField: { name: 'result' } },
  args: { input: t.arg({ type: AddArticleInput, required: true }) },
  resolve: (_root, { input }, ctx) => addArticle(useCaseContext(ctx), {
    ticketId: fromGlobalOrRawId(String(input.ticketId)), kind: input.kind ?? 'REPLY', body: input.body,
    subject: input.subject ?? undefined, timeMinutes: input.timeMinutes ?? 0, visibleToCustomer: input.visibleToCustomer ?? undefined,
    attachmentIds: attachmentIdsOf(input.attachmentIds),
  }),
}));

ticketMutation('setTicketState', 'Change the state (a pending state needs pendingUntil)', 'agentWrite',
  (t) => ({ stateId: t.id({ required: true }), pendingUntil: t.field({ type: 'DateTime' }) }),
  (i, ctx) => setTicketState(useCaseContext(ctx), { ticketId: i.ticketId, stateId: String(i.stateId), pendingUntil: (i.pendingUntil as Date | null) ?? null }));
ticketMutation('setTicketPriority', 'Change the priority', 'agentWrite',
  (t) => ({ priorityId: t.id({ required: true }) }),
  (i, ctx) => setTicketPriority(useCaseContext(ctx), { ticketId: i.ticketId, priorityId: String(i.priorityId) }));
ticketMutation('moveTicket', 'Move to another queue (needs move_into there)', 'agentWrite',
  (t) => ({ queueId: t.id({ required: true }) }),
  (i, ctx) => moveTicket(useCaseContext(ctx), { ticketId: i.ticketId, queueId: String(i.queueId) }));
ticketMutation('assignTicket', 'Set the owner (null to clear)', 'agentWrite',
  (t) => ({ ownerId: t.id() }),
  (i, ctx) => assignTicket(useCaseContext(ctx), { ticketId: i.ticketId, ownerId: i.ownerId ? String(i.ownerId) : null }));
ticketMutation('setTicketResponsible', 'Set the responsible agent (null to clear)', 'agentWrite',
  (t) => ({ responsibleId: t.id() }),
  (i, ctx) => setResponsible(useCaseContext(ctx), { ticketId: i.ticketId, responsibleId: i.responsibleId ? String(i.responsibleId) : null }));
ticketMutation('lockTicket', 'Lock the ticket to yourself', 'agentWrite', () => ({}),
  (i, ctx) => lockTicket(agentContext(ctx), i.ticketId));
ticketMutation('unlockTicket', 'Release the lock', 'agentWrite', () => ({}),
  (i, ctx) => unlockTicket(agentContext(ctx), i.ticketId));
ticketMutation('closeTicket', 'Close the ticket (customers: their own)', 'tenantMember', () => ({}),
  (i, ctx) => closeTicket(useCaseContext(ctx), i.ticketId));
ticketMutation('unmergeTicket', 'Undo a merge: the ticket gets back its previous state', 'agentWrite', () => ({}),
  (i, ctx) => unmergeTicket(agentContext(ctx), i.ticketId));
ticketMutation('mergeTickets', 'Merge this ticket into targetId; its articles show in the target', 'agentWrite',
  (t) => ({ targetId: t.id({ required: true }) }),
  async (i, ctx) => (await mergeTickets(agentContext(ctx), i.ticketId, fromGlobalOrRawId(String(i.targetId)))).target);
ticketMutation('linkTickets', 'Link this ticket to targetId', 'agentWrite',
  (t) => ({ targetId: t.id({ required: true }), parentChild: t.boolean() }),
  async (i, ctx) => (await linkTickets(agentContext(ctx), i.ticketId, fromGlobalOrRawId(String(i.targetId)), i.parentChild ? 'PARENT_CHILD' : 'NORMAL')).source);
ticketMutation('starTicket', 'Add to or remove from my favourites', 'agentWrite',
  (t) => ({ starred: t.boolean({ required: true }) }),
  (i, ctx) => setTicketWatch(agentContext(ctx), i.ticketId, 'STAR', Boolean(i.starred)));
ticketMutation('watchTicket', 'Get notified of changes, or stop', 'agentWrite',
  (t) => ({ watching: t.boolean({ required: true }) }),
  (i, ctx) => setTicketWatch(agentContext(ctx), i.ticketId, 'WATCH', Boolean(i.watching)));

const RecordViewInput = builder.inputType('RecordTicketViewInput', { fields: (t) => ({ ticketId: t.id({ required: true }) }) });
builder.mutationField('recordTicketView', (t) => t.prismaField({
  type: TicketViewType,
  description: 'Log that you opened the ticket (who, when, IP, browser)',
  authScopes: { tenantMember: true },
  errors: { types: ticketErrors, dataField: { name: 'view' } },
  args: { input: t.arg({ type: RecordViewInput, required: true }) },
  resolve: (_q, _root, { input }, ctx) => recordTicketView(useCaseContext(ctx), fromGlobalOrRawId(String(input.ticketId))),
}));
