// startFakeStripe(): a local Stripe API for tests, spoken to by the real `stripe` library.
import Stripe from 'stripe';
import { FakeStripeError } from './errors.ts';
import { Fake } from './fake.ts';
import { accountRoutes, onboardAccount } from './resources/accounts.ts';
import { billingRoutes } from './resources/billing.ts';
import type { CompleteOptions } from './resources/checkout.ts';
import { checkoutRoutes, completeSession, tickSessions } from './resources/checkout.ts';
import { controlRoutes } from './resources/controls.ts';
import { customerRoutes } from './resources/customers.ts';
import { eventRoutes } from './resources/events.ts';
import { invoiceRoutes } from './resources/invoices.ts';
import { paymentRoutes } from './resources/payments.ts';
import { priceRoutes } from './resources/prices.ts';
import { productRoutes } from './resources/products.ts';
import { renewSubscription, subscriptionRoutes, tickSubscriptions } from './resources/subscriptions.ts';
import { Router } from './router.ts';
import { FakeServer } from './server.ts';
import type { StripeObject } from './store.ts';
import { clone } from './store.ts';
import type { Delivery, EndpointOptions, FlushOrder, Webhooks } from './webhooks.ts';

export type { Delivery, EndpointOptions, FlushOrder, StripeObject };
export { FakeStripeError };
export { signPayload } from './webhooks.ts';

export type FakeStripeOptions = {
  port?: number;
  host?: string;
  /** The one API key accepted (default `sk_test_fake_…`). */
  secretKey?: string;
};

export type WebhookControls = {
  /** Registers an endpoint; returns its `whsec_…` signing secret. */
  addEndpoint(url: string, options?: EndpointOptions | string): string;
  removeEndpoint(urlOrId: string): void;
  /** Every delivery attempt, in the order they finished. */
  readonly deliveries: Delivery[];
  /** Hold events instead of delivering them. */
  pause(): void;
  /** Deliver held events in `order` ('fifo' | 'reverse' | 'shuffle' | event ids) and keep holding new ones. */
  flush(order?: FlushOrder): Promise<void>;
  /** Deliver held events in `order` and deliver at once from now on. */
  resume(order?: FlushOrder): Promise<void>;
  /** Events currently held. */
  pending(): StripeObject[];
  /** Deliver an event again (same id): a duplicate delivery. */
  resend(eventId: string, account?: string | null): Promise<void>;
  /** Wait this long before each delivery attempt. */
  setDelay(ms: number): void;
  /** Deliver every new event this many times (default 1). */
  setDuplicates(copies: number): void;
  /** Attempts per event and endpoint (default 3) and backoff base (default 50 ms, doubled each time). */
  setRetry(policy: { maxAttempts?: number; backoffMs?: number; timeoutMs?: number }): void;
  /** Resolves when no delivery is in flight or scheduled for retry. */
  idle(): Promise<void>;
  /** Waits for `count` (default 1) successful deliveries of an event type (or matching a predicate). */
  waitFor(match: string | ((d: Delivery) => boolean), opts?: { count?: number; timeoutMs?: number }): Promise<Delivery[]>;
};

export type FakeStripe = {
  url: string;
  host: string;
  port: number;
  secretKey: string;
  apiVersion: string;
  /** The real `stripe` client pointed at the fake. */
  stripe: Stripe;
  /** Another real client for the fake (e.g. with a different key, or `stripeAccount`). */
  client(options?: { apiKey?: string; stripeAccount?: string }): Stripe;
  webhooks: WebhookControls;
  /** Events emitted so far (all accounts), oldest first. */
  events(filter?: { type?: string; account?: string | null }): StripeObject[];
  /** Every API request the fake answered. */
  readonly requests: FakeServer['requests'];
  /** The meter events recorded on an account (null: the platform), oldest first. */
  meterEvents(account: string | null, filter?: { eventName?: string }): StripeObject[];
  /** The customer pays the Checkout Session (or is declined: `succeed: false`). */
  complete(checkoutSessionId: string, options?: CompleteOptions & { account?: string | null }): StripeObject;
  /** Ends the subscription's current period now: next invoice, payment (or failure), events. */
  renew(subscriptionId: string, options?: { succeed?: boolean; account?: string | null }): StripeObject;
  /** The connected account finishes onboarding (charges/payouts enabled); emits `account.updated`. */
  onboard(accountId: string): StripeObject;
  /** Moves the fake clock forward: renews subscriptions whose period ended, expires Checkout Sessions. */
  advanceClock(seconds: number): void;
  /** Unix seconds on the fake clock. */
  now(): number;
  /** Forgets every object, event, endpoint, delivery and idempotency key; resets the clock. */
  reset(): Promise<void>;
  close(): Promise<void>;
};

function lookup(fake: Fake, object: string, id: string, account: string | null | undefined): { account: string | null; value: StripeObject } {
  if (account !== undefined) {
    const value = fake.store.get(account, id, object);
    if (!value) throw new Error(`fake-stripe: no ${object} ${id} in ${account ?? 'the platform'}`);
    return { account, value };
  }
  const found = fake.store.everywhere(object).find((e) => e.value.id === id);
  if (!found) throw new Error(`fake-stripe: no ${object} ${id}`);
  return found;
}

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const host = options.host ?? '127.0.0.1';
  const secretKey = options.secretKey ?? 'sk_test_fake_51Parley0000000000000000000000';
  const apiVersion = Stripe.API_VERSION as string;
  const fake = new Fake({ apiVersion, secretKey });
  fake.tickers.push(tickSessions, tickSubscriptions);
  const router = new Router();
  for (const routes of [customerRoutes, productRoutes, priceRoutes, checkoutRoutes, subscriptionRoutes, invoiceRoutes, billingRoutes, accountRoutes, paymentRoutes, eventRoutes, controlRoutes]) router.add(routes);
  const server = new FakeServer(fake, router);
  const address = await server.listen(options.port ?? 0, host);
  const port = address.port;
  const client = (opts: { apiKey?: string; stripeAccount?: string } = {}) =>
    new Stripe(opts.apiKey ?? secretKey, { host, port, protocol: 'http', maxNetworkRetries: 0, telemetry: false, ...(opts.stripeAccount ? { stripeAccount: opts.stripeAccount } : {}) });
  const hooks: Webhooks = fake.webhooks;
  const webhooks: WebhookControls = {
    addEndpoint: (url, opts) => hooks.addEndpoint(url, opts),
    removeEndpoint: (u) => hooks.removeEndpoint(u),
    get deliveries() {
      return hooks.deliveries;
    },
    pause: () => hooks.pause(),
    flush: (order) => hooks.flush(order),
    resume: (order) => hooks.resume(order),
    pending: () => hooks.pending(),
    resend: (eventId, account) => hooks.resend(lookup(fake, 'event', eventId, account).value),
    setDelay: (ms) => hooks.setDelay(ms),
    setDuplicates: (n) => hooks.setDuplicates(n),
    setRetry: (p) => hooks.setRetry(p),
    idle: () => hooks.idle(),
    waitFor: (m, o) => hooks.waitFor(m, o),
  };
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    secretKey,
    apiVersion,
    stripe: client(),
    client,
    webhooks,
    events: (filter = {}) =>
      fake.eventLog
        .filter((e) => (!filter.type || e.event.type === filter.type) && (filter.account === undefined || e.account === filter.account))
        .map((e) => clone(e.event)),
    requests: server.requests,
    meterEvents: (account, filter = {}) =>
      fake.store.all(account, 'billing.meter_event')
        .filter((e) => !filter.eventName || e.event_name === filter.eventName)
        .sort((a, b) => (a.created as number) - (b.created as number))
        .map((e) => clone(e)),
    complete: (id, opts = {}) => {
      const { account, value } = lookup(fake, 'checkout.session', id, opts.account);
      return clone(completeSession(fake, account, value, opts));
    },
    renew: (id, opts = {}) => {
      const { account, value } = lookup(fake, 'subscription', id, opts.account);
      renewSubscription(fake, account, value, { succeed: opts.succeed });
      return clone(value);
    },
    onboard: (id) => clone(onboardAccount(fake, id)),
    advanceClock: (seconds) => fake.advanceClock(seconds),
    now: () => fake.now(),
    reset: async () => {
      hooks.reset();
      await hooks.idle();
      fake.store.clear();
      fake.eventLog.length = 0;
      fake.resetClock();
      server.reset();
    },
    close: async () => {
      await hooks.close();
      await server.close();
    },
  };
}
