// Subscriptions: create (with the first invoice and payment), update, cancel, renew on the clock.
import type { Ctx, Fake } from '../fake.ts';
import { cardDeclined, invalidRequest, noSuch } from '../errors.ts';
import type { Route } from '../router.ts';
import type { Params } from '../params.ts';
import { arr, bool, int, metadata, num, oneOf, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { clone, randomId } from '../store.ts';
import { find, respond, respondList } from './common.ts';
import type { Request } from './invoices.ts';
import { collectInvoice, emitInvoiceOutcome, makeInvoice } from './invoices.ts';
import type { ItemInput } from './items.ts';
import { isMetered, readItems, subscriptionItems } from './items.ts';
import { declines } from './payments.ts';

export function addInterval(start: number, recurring: { interval: string; interval_count: number }): number {
  const d = new Date(start * 1000);
  const n = recurring.interval_count;
  if (recurring.interval === 'day') d.setUTCDate(d.getUTCDate() + n);
  if (recurring.interval === 'week') d.setUTCDate(d.getUTCDate() + 7 * n);
  if (recurring.interval === 'month') d.setUTCMonth(d.getUTCMonth() + n);
  if (recurring.interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + n);
  return Math.floor(d.getTime() / 1000);
}

function itemObject(subscription: string, input: ItemInput, start: number, end: number, now: number): StripeObject {
  return {
    id: randomId('si', 14),
    object: 'subscription_item',
    created: now,
    current_period_end: end,
    current_period_start: start,
    discounts: [],
    metadata: input.metadata,
    price: input.price,
    ...(input.quantity === null ? {} : { quantity: input.quantity }),
    subscription,
    tax_rates: [],
  };
}

function setItems(sub: StripeObject, data: StripeObject[]): void {
  sub.items = { object: 'list', data, has_more: false, total_count: data.length, url: `/v1/subscription_items?subscription=${sub.id}` };
}

export type SubscriptionInput = {
  customer: string;
  items: ItemInput[];
  /** One-time prices added to the first invoice (Checkout in subscription mode). */
  oneTime?: ItemInput[];
  metadata: Record<string, string>;
  trialPeriodDays?: number;
  trialEnd?: number;
  applicationFeePercent?: number | null;
  defaultPaymentMethod?: string | null;
  paymentBehavior: 'allow_incomplete' | 'default_incomplete' | 'error_if_incomplete' | 'pending_if_incomplete';
  cancelAtPeriodEnd?: boolean;
  description?: string | null;
  forceSucceed?: boolean;
};

/** Creates the subscription, its first invoice and its first payment, as Stripe does on create or Checkout completion. */
export function createSubscription(fake: Fake, account: string | null, input: SubscriptionInput, request: Request): StripeObject {
  const now = fake.now();
  const currencies = new Set(input.items.map((i) => i.price.currency));
  if (currencies.size > 1) throw invalidRequest('All prices on a subscription must have the same `currency`.', { param: 'items' });
  const customer = fake.store.get(account, input.customer) as StripeObject;
  const id = randomId('sub', 24);
  const trialEnd = input.trialEnd ?? (input.trialPeriodDays ? now + input.trialPeriodDays * 86_400 : null);
  const recurring = input.items[0].price.recurring as { interval: string; interval_count: number };
  const periodEnd = trialEnd ?? addInterval(now, recurring);
  const sub: StripeObject = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: input.applicationFeePercent ?? null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: periodEnd === trialEnd ? trialEnd : now,
    cancel_at: null,
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency: input.items[0].price.currency,
    customer: input.customer,
    default_payment_method: input.defaultPaymentMethod ?? null,
    description: input.description ?? null,
    discounts: [],
    ended_at: null,
    items: null,
    latest_invoice: null,
    livemode: false,
    metadata: input.metadata,
    pause_collection: null,
    pending_update: null,
    start_date: now,
    status: 'incomplete',
    test_clock: null,
    trial_end: trialEnd,
    trial_start: trialEnd ? now : null,
  };
  setItems(sub, input.items.map((i) => itemObject(id, i, now, periodEnd, now)));
  const pm = input.defaultPaymentMethod ?? (customer.invoice_settings as { default_payment_method: string | null }).default_payment_method;
  const firstAmount = (trialEnd ? 0 : input.items.reduce((a, i) => a + (isMetered(i.price) ? 0 : (i.price.unit_amount as number) * (i.quantity as number)), 0)) +
    (input.oneTime ?? []).reduce((a, i) => a + (i.price.unit_amount as number) * (i.quantity as number), 0);
  if (firstAmount > 0 && input.paymentBehavior !== 'default_incomplete') {
    if (!pm) {
      throw invalidRequest('This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.', { code: 'resource_missing' });
    }
    const willDecline = input.forceSucceed === undefined ? declines(pm) : !input.forceSucceed;
    if (willDecline && input.paymentBehavior === 'error_if_incomplete') throw cardDeclined();
  }
  fake.store.put(account, sub);
  const invoice = makeInvoice(fake, account, sub, 'subscription_create', now, periodEnd, null, !!trialEnd, input.oneTime);
  sub.latest_invoice = invoice.id;
  if (input.paymentBehavior === 'default_incomplete' && (invoice.amount_due as number) > 0) {
    sub.status = 'incomplete';
    fake.emit(account, 'customer.subscription.created', sub, undefined, request);
    return sub;
  }
  const paid = collectInvoice(fake, account, sub, invoice, input.forceSucceed);
  sub.status = !paid ? 'incomplete' : trialEnd ? 'trialing' : 'active';
  fake.emit(account, 'customer.subscription.created', sub, undefined, request);
  emitInvoiceOutcome(fake, account, invoice, paid, request);
  return sub;
}

function cancelNow(fake: Fake, account: string | null, sub: StripeObject, reason: string, request: Request, at?: number): void {
  const now = at ?? fake.now();
  const before = clone(sub);
  sub.status = 'canceled';
  sub.canceled_at = sub.canceled_at ?? now;
  sub.ended_at = now;
  sub.cancellation_details = { ...(sub.cancellation_details as object), reason };
  const previous: Record<string, unknown> = {};
  for (const k of Object.keys(sub)) if (JSON.stringify(before[k]) !== JSON.stringify(sub[k])) previous[k] = before[k];
  fake.emit(account, 'customer.subscription.deleted', sub, previous, request);
}

/** Ends the current period: bills the next one (and the last one's metered usage), or cancels at period end. */
export function renewSubscription(fake: Fake, account: string | null, sub: StripeObject, opts: { succeed?: boolean } = {}): void {
  if (!['active', 'trialing', 'past_due', 'unpaid'].includes(sub.status as string)) {
    throw invalidRequest(`fake-stripe: a subscription with status ${sub.status} does not renew`);
  }
  const first = subscriptionItems(sub)[0];
  const start = first.current_period_end as number;
  if (sub.cancel_at_period_end || (sub.cancel_at !== null && (sub.cancel_at as number) <= start)) {
    cancelNow(fake, account, sub, 'cancellation_requested', undefined, start);
    return;
  }
  const previousStart = first.current_period_start as number;
  const wasTrial = sub.status === 'trialing';
  const end = addInterval(start, (first.price as StripeObject).recurring as { interval: string; interval_count: number });
  const before = clone(sub);
  for (const item of subscriptionItems(sub)) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
  const invoice = makeInvoice(fake, account, sub, 'subscription_cycle', start, end, wasTrial ? null : previousStart, false);
  sub.latest_invoice = invoice.id;
  if (wasTrial) {
    sub.trial_end = sub.trial_end ?? start;
  }
  const paid = collectInvoice(fake, account, sub, invoice, opts.succeed);
  sub.status = paid ? 'active' : 'past_due';
  emitInvoiceOutcome(fake, account, invoice, paid, undefined);
  const previous: Record<string, unknown> = {};
  for (const k of Object.keys(sub)) if (JSON.stringify(before[k]) !== JSON.stringify(sub[k])) previous[k] = before[k];
  fake.emit(account, 'customer.subscription.updated', sub, previous);
}

/** Clock hook: renews every subscription whose period has ended (repeatedly, if the clock jumped far). */
export function tickSubscriptions(fake: Fake): void {
  for (const { account, value: sub } of fake.store.everywhere('subscription')) {
    for (let guard = 0; guard < 120; guard++) {
      if (!['active', 'trialing', 'past_due', 'unpaid'].includes(sub.status as string)) break;
      if ((subscriptionItems(sub)[0].current_period_end as number) > fake.now()) break;
      renewSubscription(fake, account, sub);
    }
  }
}

const CREATE = ['customer', 'items', 'metadata', 'trial_period_days', 'trial_end', 'application_fee_percent', 'default_payment_method', 'payment_behavior', 'cancel_at_period_end', 'description', 'proration_behavior', 'collection_method', 'off_session', 'payment_settings', 'transfer_data', 'on_behalf_of'];

function feePercent(ctx: Ctx): number | null {
  const fee = num(ctx.params, 'application_fee_percent');
  if (fee === undefined) return null;
  if (!ctx.account && !ctx.params.transfer_data) {
    throw invalidRequest('Can only apply an application_fee_percent when the request is made on behalf of another account (using an OAuth key, the Stripe-Account header, or the on_behalf_of parameter).', { param: 'application_fee_percent' });
  }
  if (fee < 0 || fee > 100) throw invalidRequest('application_fee_percent must be between 0 and 100.', { param: 'application_fee_percent' });
  return fee;
}

export const subscriptionRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/subscriptions',
    handler: (ctx) => {
      rejectUnknown(ctx.params, CREATE);
      const customer = str(ctx.params, 'customer', { required: true }) as string;
      find(ctx, 'customer', 'customer', customer, 'customer');
      const raw = arr(ctx.params, 'items', { required: true }) as unknown[];
      const trialEndRaw = str(ctx.params, 'trial_end');
      const sub = createSubscription(ctx.fake, ctx.account, {
        customer,
        items: readItems(ctx, raw, 'items', { requireRecurring: true }),
        metadata: metadata(ctx.params),
        trialPeriodDays: int(ctx.params, 'trial_period_days', { min: 0 }),
        trialEnd: trialEndRaw === undefined || trialEndRaw === 'now' ? undefined : int(ctx.params, 'trial_end'),
        applicationFeePercent: feePercent(ctx),
        defaultPaymentMethod: str(ctx.params, 'default_payment_method') ?? null,
        paymentBehavior: oneOf(ctx.params, 'payment_behavior', ['allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'pending_if_incomplete']) ?? 'allow_incomplete',
        cancelAtPeriodEnd: bool(ctx.params, 'cancel_at_period_end'),
        description: str(ctx.params, 'description') ?? null,
      }, { id: ctx.requestId, idempotency_key: ctx.idempotencyKey });
      return respond(ctx, sub);
    },
  },
  { method: 'GET', path: '/v1/subscriptions/:id', handler: (ctx) => respond(ctx, find(ctx, 'subscription', 'subscription', ctx.path.id)) },
  {
    method: 'POST',
    path: '/v1/subscriptions/:id',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['items', 'metadata', 'cancel_at_period_end', 'cancel_at', 'trial_end', 'default_payment_method', 'proration_behavior', 'description', 'payment_behavior', 'application_fee_percent', 'cancellation_details']);
      const sub = find(ctx, 'subscription', 'subscription', ctx.path.id);
      if (sub.status === 'canceled') {
        const allowed = Object.keys(ctx.params).every((k) => k === 'metadata' || k === 'cancellation_details' || k === 'expand');
        if (!allowed) throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
      }
      const rawItems = arr(ctx.params, 'items');
      const now = ctx.fake.now();
      const updated = ctx.fake.update(ctx.account, sub, (s) => {
        s.metadata = metadata(ctx.params, s.metadata as Record<string, string>);
        const cape = bool(ctx.params, 'cancel_at_period_end');
        if (cape !== undefined) {
          s.cancel_at_period_end = cape;
          s.canceled_at = cape ? now : null;
          s.cancel_at = cape ? subscriptionItems(s)[0].current_period_end : null;
          s.cancellation_details = { comment: null, feedback: null, reason: cape ? 'cancellation_requested' : null };
        }
        const pm = str(ctx.params, 'default_payment_method');
        if (pm !== undefined) s.default_payment_method = pm || null;
        const description = str(ctx.params, 'description');
        if (description !== undefined) s.description = description || null;
        const fee = feePercent(ctx);
        if (fee !== null) s.application_fee_percent = fee;
        if (str(ctx.params, 'trial_end') === 'now' && s.status === 'trialing') {
          s.trial_end = now;
          s.status = 'active';
        }
        if (rawItems) {
          const current = subscriptionItems(s);
          const first = current[0];
          rawItems.forEach((entry, i) => {
            const item = (entry ?? {}) as Params;
            const itemId = str(item, 'id');
            const existing = itemId ? current.find((c) => c.id === itemId) : undefined;
            if (itemId && !existing) throw invalidRequest(`No such subscription item: '${itemId}'`, { code: 'resource_missing', param: `items[${i}][id]` });
            if (existing && bool(item, 'deleted')) {
              current.splice(current.indexOf(existing), 1);
              return;
            }
            if (existing) {
              const priceId = str(item, 'price');
              if (priceId) existing.price = clone(find(ctx, 'price', 'price', priceId, `items[${i}][price]`));
              const q = int(item, 'quantity', { min: 0, param: `items[${i}][quantity]` });
              if (q !== undefined) {
                if (isMetered(existing.price as StripeObject)) throw invalidRequest(`Quantity should not be specified where usage_type is \`metered\`. Remove quantity from \`items[${i}]\`.`, { param: `items[${i}][quantity]` });
                existing.quantity = q;
              }
              existing.metadata = metadata(item, existing.metadata as Record<string, string>);
              return;
            }
            const [input] = readItems(ctx, [item], 'items', { requireRecurring: true });
            current.push(itemObject(s.id as string, input, first.current_period_start as number, first.current_period_end as number, now));
          });
          if (current.length === 0) throw invalidRequest('A subscription must have at least one active plan. To cancel a subscription, send a DELETE request to the subscription endpoint instead.', { param: 'items' });
          setItems(s, current);
        }
      }, 'customer.subscription.updated', ctx);
      return respond(ctx, updated);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/subscriptions/:id',
    handler: (ctx) => {
      const sub = find(ctx, 'subscription', 'subscription', ctx.path.id);
      if (sub.status === 'canceled') throw noSuch('subscription', sub.id as string);
      cancelNow(ctx.fake, ctx.account, sub, 'cancellation_requested', { id: ctx.requestId, idempotency_key: ctx.idempotencyKey });
      return respond(ctx, sub);
    },
  },
  {
    method: 'GET',
    path: '/v1/subscriptions',
    handler: (ctx) => {
      const customer = str(ctx.params, 'customer');
      const price = str(ctx.params, 'price');
      const status = str(ctx.params, 'status');
      const all = ctx.fake.store.all(ctx.account, 'subscription').filter((s) =>
        (!customer || s.customer === customer) &&
        (!price || subscriptionItems(s).some((i) => (i.price as StripeObject).id === price)) &&
        (status === 'all' ? true : status ? s.status === status : s.status !== 'canceled' && s.status !== 'incomplete_expired'));
      return respondList(ctx, all, '/v1/subscriptions');
    },
  },
];
