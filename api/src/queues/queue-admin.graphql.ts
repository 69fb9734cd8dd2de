import { builder } from '../graphql/builder.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { FollowUpOptionEnum, QueueType } from './queue.graphql.ts';
import { createQueue, updateQueue } from './manage-queues.ts';

const adminErrors = { types: [ValidationError, ConflictError, NotFoundError], dataField: { name: 'queue' } };

const queueInputFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  comment: t.string(),
  ticketPrefix: t.string({ description: 'Prefix for prefix-numbered tickets, e.g. SUP' }),
  followUpOption: t.field({ type: FollowUpOptionEnum, description: 'What a customer follow-up to a closed ticket does' }),
  followUpLock: t.boolean({ description: 'Lock a reopened ticket to its previous owner' }),
  unlockTimeoutMinutes: t.int({ description: 'An idle lock expires after this many minutes' }),
  salutation: t.string(),
  signature: t.string(),
  systemAddress: t.string({ description: 'The address mail to this queue arrives at and replies are sent from' }),
  openToCustomers: t.boolean(),
  active: t.boolean(),
});

const CreateQueueInput = builder.inputType('CreateQueueInput', {
  fields: (t) => ({ name: t.string({ required: true }), rwRoleIds: t.idList({ description: 'Roles that get rw on the new queue' }), ...queueInputFields(t) }),
});
const UpdateQueueInput = builder.inputType('UpdateQueueInput', {
  fields: (t) => ({ id: t.id({ required: true }), name: t.string(), ...queueInputFields(t) }),
});

/** GraphQL passes absent fields as undefined and explicit nulls as null: both go to the use case as they are. */
const clean = <T extends object>(input: T) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;

builder.mutationField('createQueue', (t) => t.prismaField({
  type: QueueType,
  authScopes: { admin: true },
  errors: adminErrors,
  args: { input: t.arg({ type: CreateQueueInput, required: true }) },
  resolve: (_q, _root, { input }, ctx) => {
    const { rwRoleIds, ...rest } = clean(input);
    return createQueue(ctx.services.db, agentContext(ctx).viewer.tenantId, { ...(rest as object), rwRoleIds: (rwRoleIds ?? []).map(String) } as never);
  },
}));

builder.mutationField('updateQueue', (t) => t.prismaField({
  type: QueueType,
  authScopes: { admin: true },
  errors: adminErrors,
  args: { input: t.arg({ type: UpdateQueueInput, required: true }) },
  resolve: (_q, _root, { input }, ctx) => updateQueue(ctx.services.db, agentContext(ctx).viewer.tenantId, { ...(clean(input) as object), id: String(input.id) } as never),
}));
