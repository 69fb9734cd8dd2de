import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { TicketEventKindEnum } from '../events/subscriptions.graphql.ts';
import { createWebhook, setWebhookActive } from './webhooks.ts';

const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', { values: ['PENDING', 'SUCCEEDED', 'FAILED'] as const });

const WebhookDeliveryType = builder.prismaObject('WebhookDelivery', {
  description: 'One event sent (or being retried) to a webhook',
  fields: (t) => ({
    id: t.exposeID('id'),
    eventId: t.exposeID('eventId'),
    eventKind: t.exposeString('eventKind'),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    attempts: t.exposeInt('attempts'),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    payload: t.expose('payload', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
  }),
});

export const WebhookType = builder.prismaObject('Webhook', {
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    events: t.exposeStringList('events', { description: 'Event kinds delivered (empty: all)' }),
    active: t.exposeBoolean('active'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.relation('deliveries', {
      description: 'The delivery log, newest first',
      args: { first: t.arg.int({ defaultValue: 50 }) },
      query: ({ first }) => ({ orderBy: { createdAt: 'desc' }, take: Math.min(first ?? 50, 200) }),
    }),
  }),
});

builder.queryField('webhooks', (t) => t.prismaField({
  type: [WebhookType], authScopes: { admin: true },
  resolve: (query, _root, _args, ctx) => tenantClient(ctx).webhook.findMany({ ...query, orderBy: { createdAt: 'desc' } }),
}));

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({ url: t.string({ required: true }), events: t.field({ type: [TicketEventKindEnum], description: 'Empty or absent: every event' }) }),
});
const CreatedWebhook = builder.objectRef<{ webhook: { id: string }; secret: string }>('CreatedWebhook').implement({
  fields: (t) => ({
    webhook: t.field({ type: WebhookType, resolve: (r) => r.webhook as never }),
    secret: t.exposeString('secret', { description: 'The signing secret (HMAC-SHA256, header Parley-Signature): shown only now' }),
  }),
});

builder.mutationField('createWebhook', (t) => t.field({
  type: CreatedWebhook, authScopes: { admin: true },
  errors: { types: [ValidationError, ForbiddenError], dataField: { name: 'created' } },
  args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
  resolve: (_root, { input }, ctx) => createWebhook(ctx.services.db, ctx.services.secrets, agentContext(ctx).viewer, { url: input.url, events: input.events ?? [] }, { allowPrivateNetworks: ctx.services.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS }),
}));

builder.mutationField('setWebhookActive', (t) => t.prismaField({
  type: WebhookType, authScopes: { admin: true },
  errors: { types: [ForbiddenError, NotFoundError], dataField: { name: 'webhook' } },
  args: { id: t.arg.id({ required: true }), active: t.arg.boolean({ required: true }) },
  resolve: (_q, _root, { id, active }, ctx) => setWebhookActive(ctx.services.db, agentContext(ctx).viewer, String(id), active),
}));
