import { builder } from '../graphql/builder.ts';
import { ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { QueueType } from './queue.graphql.ts';
import { setQueueAutoAssign } from './auto-assign.ts';

const AutoAssignStrategyEnum = builder.enumType('AutoAssignStrategy', { values: ['ROUND_ROBIN', 'LEAST_LOADED'] as const });

builder.prismaObjectField(QueueType, 'autoAssign', (t) => t.field({
  type: AutoAssignStrategyEnum, nullable: true, authScopes: { agent: true },
  description: 'How new tickets without an owner get one (null: they do not)',
  select: { autoAssign: { select: { strategy: true } } },
  resolve: (q) => q.autoAssign?.strategy ?? null,
}));

builder.mutationField('setQueueAutoAssign', (t) => t.prismaField({
  type: QueueType, authScopes: { admin: true },
  description: 'Assign new ownerless tickets of the queue automatically (round robin or least loaded), or stop (strategy null)',
  errors: { types: [ForbiddenError, NotFoundError], dataField: { name: 'queue' } },
  args: { queueId: t.arg.id({ required: true }), strategy: t.arg({ type: AutoAssignStrategyEnum }) },
  resolve: (_q, _r, { queueId, strategy }, ctx) => setQueueAutoAssign(ctx.services.db, agentContext(ctx).viewer, String(queueId), strategy ?? null),
}));
