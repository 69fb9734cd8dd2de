import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { isUuid } from '../tickets/load-ticket.ts';
import { TicketEventKindEnum } from '../events/subscriptions.graphql.ts';
import { WebhookType } from './webhook.graphql.ts';
import { deleteWebhook, redeliverWebhookDelivery, updateWebhook } from './manage-webhooks.ts';

builder.queryField('webhook', (t) => t.prismaField({
  type: WebhookType, nullable: true, authScopes: { admin: true },
  args: { id: t.arg.id({ required: true }) },
  resolve: (query, _root, { id }, ctx) => (isUuid(String(id)) ? tenantClient(ctx).webhook.findUnique({ ...query, where: { id: String(id) } }) : null),
}));

const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    events: t.field({ type: [TicketEventKindEnum], description: 'Empty: every event; absent: unchanged' }),
    active: t.boolean(),
  }),
});

builder.mutationField('updateWebhook', (t) => t.prismaField({
  type: WebhookType, authScopes: { admin: true },
  errors: { types: [ValidationError, ForbiddenError, NotFoundError], dataField: { name: 'webhook' } },
  args: { input: t.arg({ type: UpdateWebhookInput, required: true }) },
  resolve: (_q, _root, { input }, ctx) => updateWebhook(ctx.services.db, agentContext(ctx).viewer, String(input.id), {
    url: input.url ?? undefined, events: input.events ?? undefined, active: input.active ?? undefined,
  }, { allowPrivateNetworks: ctx.services.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS }),
}));

builder.mutationField('deleteWebhook', (t) => t.prismaField({
  type: WebhookType, authScopes: { admin: true },
  description: 'Deletes a webhook and its delivery log (refused while an automation rule calls it)',
  errors: { types: [ForbiddenError, NotFoundError, ConflictError], dataField: { name: 'webhook' } },
  args: { id: t.arg.id({ required: true }) },
  resolve: (_q, _root, { id }, ctx) => deleteWebhook(ctx.services.db, agentContext(ctx).viewer, String(id)),
}));

builder.mutationField('redeliverWebhookDelivery', (t) => t.prismaField({
  type: 'WebhookDelivery', authScopes: { admin: true },
  description: 'Sends a delivery again with a fresh signature and retries; idempotent (a delivery still pending is left alone)',
  errors: { types: [ForbiddenError, NotFoundError, ConflictError], dataField: { name: 'delivery' } },
  args: { id: t.arg.id({ required: true }) },
  resolve: (_q, _root, { id }, ctx) => redeliverWebhookDelivery(ctx.services.db, ctx.services.config, agentContext(ctx).viewer, String(id)),
}));
