// Events (read back through the API, as a webhook handler re-reading the truth would) and webhook
// endpoints registered through the API, as Stripe's own POST /v1/webhook_endpoints does.
import { invalidRequest, noSuch } from '../errors.ts';
import type { Route } from '../router.ts';
import { arr, bool, metadata, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import type { Endpoint } from '../webhooks.ts';
import { find, respond, respondList } from './common.ts';

function endpointObject(e: Endpoint, created: number, extra: Record<string, unknown> = {}): StripeObject {
  return { id: e.id, object: 'webhook_endpoint', api_version: null, application: null, created, description: null, enabled_events: e.enabledEvents, livemode: false, metadata: {}, status: 'enabled', url: e.url, ...extra };
}

export const eventRoutes: Route[] = [
  { method: 'GET', path: '/v1/events/:id', handler: (ctx) => respond(ctx, find(ctx, 'event', 'event', ctx.path.id)) },
  {
    method: 'GET',
    path: '/v1/events',
    handler: (ctx) => {
      const type = str(ctx.params, 'type');
      const types = arr(ctx.params, 'types')?.map(String);
      const match = (t: string) => (!type || (type.endsWith('*') ? t.startsWith(type.slice(0, -1)) : t === type)) && (!types || types.includes(t));
      return respondList(ctx, ctx.fake.store.all(ctx.account, 'event').filter((e) => match(e.type as string)), '/v1/events');
    },
  },
  {
    method: 'POST',
    path: '/v1/webhook_endpoints',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['url', 'enabled_events', 'connect', 'description', 'metadata', 'api_version']);
      if (ctx.account) throw invalidRequest('Webhook endpoints are created on the platform account.');
      const url = str(ctx.params, 'url', { required: true }) as string;
      const enabled = (arr(ctx.params, 'enabled_events', { required: true }) as unknown[]).map(String);
      const endpoint = ctx.fake.webhooks.register(url, { scope: bool(ctx.params, 'connect') ? 'connect' : 'account', enabledEvents: enabled });
      const created = ctx.fake.now();
      const object = endpointObject(endpoint, created, { description: str(ctx.params, 'description') ?? null, metadata: metadata(ctx.params), secret: endpoint.secret });
      ctx.fake.store.put(null, { ...object, secret: undefined, _secret: endpoint.secret });
      return object;
    },
  },
  {
    method: 'GET',
    path: '/v1/webhook_endpoints',
    handler: (ctx) => respondList(ctx, ctx.fake.store.all(null, 'webhook_endpoint'), '/v1/webhook_endpoints'),
  },
  {
    method: 'DELETE',
    path: '/v1/webhook_endpoints/:id',
    handler: (ctx) => {
      const stored = ctx.fake.store.get(null, ctx.path.id, 'webhook_endpoint');
      if (!stored || stored.deleted) throw noSuch('webhook_endpoint', ctx.path.id);
      ctx.fake.webhooks.removeEndpoint(ctx.path.id);
      stored.deleted = true;
      stored.object = 'deleted_webhook_endpoint';
      return { id: ctx.path.id, object: 'webhook_endpoint', deleted: true };
    },
  },
];
