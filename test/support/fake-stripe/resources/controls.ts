// Test-control endpoints under /_fake/ (not part of Stripe's API; no API key needed). The same
// operations are on the object startFakeStripe() returns; these serve a fake run as a process.
import { invalidRequest, noSuch } from '../errors.ts';
import type { Ctx } from '../fake.ts';
import type { Route } from '../router.ts';
import { bool, int, oneOf, str } from '../params.ts';
import { onboardAccount } from './accounts.ts';
import { completeSession } from './checkout.ts';
import { renewSubscription } from './subscriptions.ts';

function scoped(ctx: Ctx, object: string, id: string) {
  const found = ctx.fake.store.get(ctx.account, id, object);
  if (!found) throw noSuch(object, id);
  return found;
}

export const controlRoutes: Route[] = [
  {
    method: 'POST',
    path: '/_fake/checkout/sessions/:id/complete',
    handler: (ctx) => completeSession(ctx.fake, ctx.account, scoped(ctx, 'checkout.session', ctx.path.id), {
      succeed: bool(ctx.params, 'succeed'),
      paymentMethod: str(ctx.params, 'payment_method'),
      email: str(ctx.params, 'email'),
      name: str(ctx.params, 'name'),
    }),
  },
  {
    method: 'POST',
    path: '/_fake/subscriptions/:id/renew',
    handler: (ctx) => {
      const sub = scoped(ctx, 'subscription', ctx.path.id);
      renewSubscription(ctx.fake, ctx.account, sub, { succeed: bool(ctx.params, 'succeed') });
      return sub;
    },
  },
  { method: 'POST', path: '/_fake/accounts/:id/onboard', handler: (ctx) => onboardAccount(ctx.fake, ctx.path.id) },
  {
    method: 'POST',
    path: '/_fake/clock/advance',
    handler: (ctx) => {
      const seconds = int(ctx.params, 'seconds', { required: true, min: 0 }) as number;
      ctx.fake.advanceClock(seconds);
      return { now: ctx.fake.now() };
    },
  },
  {
    method: 'POST',
    path: '/_fake/webhooks/endpoints',
    handler: (ctx) => {
      const url = str(ctx.params, 'url', { required: true }) as string;
      const e = ctx.fake.webhooks.register(url, { secret: str(ctx.params, 'secret'), scope: oneOf(ctx.params, 'scope', ['account', 'connect', 'all']) });
      return { id: e.id, url: e.url, secret: e.secret, scope: e.scope };
    },
  },
  {
    method: 'POST',
    path: '/_fake/webhooks/pause',
    handler: (ctx) => {
      ctx.fake.webhooks.pause();
      return { paused: true };
    },
  },
  {
    method: 'POST',
    path: '/_fake/webhooks/flush',
    handler: (ctx) => {
      const order = oneOf(ctx.params, 'order', ['fifo', 'reverse', 'shuffle']) ?? 'fifo';
      const resume = bool(ctx.params, 'resume') ?? true;
      const held = ctx.fake.webhooks.pending().length;
      void (resume ? ctx.fake.webhooks.resume(order) : ctx.fake.webhooks.flush(order));
      return { flushed: held };
    },
  },
  {
    method: 'POST',
    path: '/_fake/events/:id/resend',
    handler: (ctx) => {
      const event = ctx.fake.store.get(ctx.account, ctx.path.id, 'event');
      if (!event) throw invalidRequest(`No such event: '${ctx.path.id}'`);
      void ctx.fake.webhooks.resend(event);
      return { resent: event.id };
    },
  },
  {
    method: 'GET',
    path: '/_fake/webhooks/deliveries',
    handler: (ctx) => ({ object: 'list', data: ctx.fake.webhooks.deliveries.map(({ body: _b, ...d }) => d) }),
  },
];
