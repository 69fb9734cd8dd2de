// Checkout Sessions (payment and subscription mode). A session stays `open` until the test
// "pays" it through the control endpoint; then it is completed the way Stripe completes it.
import type { Ctx, Fake } from '../fake.ts';
import { FakeStripeError, invalidRequest, missingParam } from '../errors.ts';
import type { Route } from '../router.ts';
import type { Params } from '../params.ts';
import { arr, bool, expandList, int, metadata, num, obj, oneOf, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { clone, expand, paginate, randomId } from '../store.ts';
import { createCustomer } from './customers.ts';
import { find } from './common.ts';
import { createProduct } from './products.ts';
import { declines, makePayment } from './payments.ts';
import type { ItemInput } from './items.ts';
import { isMetered, readItems } from './items.ts';
import { createSubscription } from './subscriptions.ts';

const CREATE = ['mode', 'line_items', 'success_url', 'cancel_url', 'return_url', 'ui_mode', 'customer', 'customer_email', 'customer_creation', 'client_reference_id', 'metadata', 'payment_intent_data', 'subscription_data', 'expires_at', 'allow_promotion_codes', 'locale', 'payment_method_types', 'billing_address_collection', 'automatic_tax', 'invoice_creation', 'currency', 'submit_type'];

type LineItem = { input: ItemInput; object: StripeObject };

/** `line_items[i][price]` or `line_items[i][price_data]` (which creates an inactive one-off Price). */
function lineItems(ctx: Ctx, mode: string): LineItem[] {
  const raw = arr(ctx.params, 'line_items');
  if (!raw || raw.length === 0) throw missingParam('line_items');
  const inputs: ItemInput[] = raw.map((entry, i) => {
    const item = (entry ?? {}) as Params;
    const priceData = obj(item, 'price_data', { param: `line_items[${i}][price_data]` });
    if (!priceData) {
      const [input] = readItems(ctx, [item], 'line_items', { requireRecurring: false });
      if (input.quantity === null || isMetered(input.price)) return input;
      if (item.quantity === undefined) throw invalidRequest(`Quantity is required. Add \`quantity\` to \`line_items[${i}]\``, { code: 'parameter_missing', param: `line_items[${i}][quantity]` });
      return input;
    }
    if (item.price !== undefined) throw invalidRequest(`You may only specify one of these parameters: price, price_data.`, { code: 'parameters_exclusive', param: `line_items[${i}][price]` });
    const currency = str(priceData, 'currency', { required: true, param: `line_items[${i}][price_data][currency]` }) as string;
    let product = str(priceData, 'product');
    const productData = obj(priceData, 'product_data');
    if (product) find(ctx, 'product', 'product', product, `line_items[${i}][price_data][product]`);
    else if (productData) product = createProduct(ctx, str(productData, 'name', { required: true, param: `line_items[${i}][price_data][product_data][name]` }) as string, { active: false }).id as string;
    else throw missingParam(`line_items[${i}][price_data][product]`);
    const unitAmount = int(priceData, 'unit_amount', { required: true, min: 0, param: `line_items[${i}][price_data][unit_amount]` }) as number;
    const rec = obj(priceData, 'recurring');
    const price: StripeObject = {
      id: randomId('price', 24), object: 'price', active: false, billing_scheme: 'per_unit', created: ctx.fake.now(), currency: currency.toLowerCase(),
      custom_unit_amount: null, livemode: false, lookup_key: null, metadata: {}, nickname: null, product,
      recurring: rec ? { interval: oneOf(rec, 'interval', ['day', 'week', 'month', 'year'], { required: true, param: `line_items[${i}][price_data][recurring][interval]` }), interval_count: int(rec, 'interval_count') ?? 1, meter: null, trial_period_days: null, usage_type: 'licensed' } : null,
      tax_behavior: 'unspecified', tiers_mode: null, transform_quantity: null, type: rec ? 'recurring' : 'one_time', unit_amount: unitAmount, unit_amount_decimal: String(unitAmount),
    };
    ctx.fake.store.put(ctx.account, price);
    const quantity = int(item, 'quantity', { min: 1, param: `line_items[${i}][quantity]` });
    if (quantity === undefined) throw invalidRequest(`Quantity is required. Add \`quantity\` to \`line_items[${i}]\``, { code: 'parameter_missing', param: `line_items[${i}][quantity]` });
    return { price, quantity, metadata: {} };
  });
  const currencies = new Set(inputs.map((i) => i.price.currency));
  if (currencies.size > 1) throw invalidRequest('All line items must use the same currency.', { param: 'line_items' });
  if (mode === 'payment') {
    const idx = inputs.findIndex((i) => i.price.type === 'recurring');
    if (idx >= 0) throw invalidRequest('You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.', { param: `line_items[${idx}][price]` });
  } else if (!inputs.some((i) => i.price.type === 'recurring')) {
    throw invalidRequest('You must specify at least one recurring price in `subscription` mode when using prices.', { param: 'line_items' });
  }
  return inputs.map((input) => {
    const amount = isMetered(input.price) ? 0 : (input.price.unit_amount as number) * (input.quantity as number);
    const product = ctx.fake.store.get(ctx.account, input.price.product as string);
    return {
      input,
      object: {
        id: randomId('li', 24),
        object: 'item',
        amount_discount: 0,
        amount_subtotal: amount,
        amount_tax: 0,
        amount_total: amount,
        currency: input.price.currency,
        description: (product?.name as string | undefined) ?? null,
        metadata: input.metadata,
        price: clone(input.price),
        quantity: input.quantity,
      },
    };
  });
}

export function expireSession(fake: Fake, account: string | null, session: StripeObject, request?: { id: string | null; idempotency_key: string | null }): void {
  session.status = 'expired';
  session.url = null;
  fake.emit(account, 'checkout.session.expired', session, undefined, request);
}

/** Clock hook: open sessions past `expires_at` expire. */
export function tickSessions(fake: Fake): void {
  for (const { account, value } of fake.store.everywhere('checkout.session')) {
    if (value.status === 'open' && (value.expires_at as number) <= fake.now()) expireSession(fake, account, value);
  }
}

export type CompleteOptions = { succeed?: boolean; paymentMethod?: string; email?: string; name?: string };

/**
 * Test control: the customer pays on the hosted page. On success the session becomes `complete`
 * (payment_status `paid`, or `no_payment_required`), with a PaymentIntent (payment mode) or a
 * Subscription (subscription mode), and the events Stripe sends are emitted. On a decline the
 * session stays `open` and no `checkout.session.completed` is sent — as on the real page.
 */
export function completeSession(fake: Fake, account: string | null, session: StripeObject, opts: CompleteOptions): StripeObject {
  if (session.status !== 'open') {
    throw invalidRequest(`fake-stripe: checkout session ${session.id} is ${session.status}, only an open session can be completed`);
  }
  const pm = opts.paymentMethod ?? (opts.succeed === false ? 'pm_card_chargeDeclined' : 'pm_card_visa');
  const succeed = opts.succeed ?? !declines(pm);
  const email = opts.email ?? (session.customer_email as string | null) ?? 'customer@example.com';
  const items = session._items as ItemInput[];
  const pid = (session._payment_intent_data ?? {}) as Params;
  const existingCustomer = session.customer as string | null;
  const needsCustomer = !existingCustomer && (session.mode === 'subscription' || session.customer_creation === 'always');
  if (session.mode === 'payment') {
    const pi = makePayment(fake, account, {
      amount: session.amount_total as number,
      currency: session.currency as string,
      customer: existingCustomer,
      paymentMethod: pm,
      metadata: metadata(pid),
      description: str(pid, 'description') ?? null,
      applicationFeeAmount: int(pid, 'application_fee_amount') ?? null,
      transferDestination: (obj(pid, 'transfer_data') as Params | undefined)?.destination as string | undefined ?? null,
      succeed,
    });
    session.payment_intent = pi.id;
    if (!succeed) {
      fake.emit(account, 'payment_intent.payment_failed', pi);
      return session;
    }
    const customer = needsCustomer ? createCustomer(fake, account, { email, name: opts.name ?? null }).id : existingCustomer;
    if (customer) {
      pi.customer = customer;
      const charge = fake.store.get(account, pi.latest_charge as string);
      if (charge) charge.customer = customer;
    }
    fake.emit(account, 'payment_intent.succeeded', pi);
    finish(fake, account, session, customer as string | null, email, opts, 'paid');
    return session;
  }
  // subscription mode
  if (!succeed) {
    // The hosted page shows the decline; nothing is created.
    return session;
  }
  const customer = existingCustomer ?? createCustomer(fake, account, { email, name: opts.name ?? null }).id as string;
  const sd = (session._subscription_data ?? {}) as Params;
  const sub = createSubscription(fake, account, {
    customer,
    items: items.filter((i) => i.price.type === 'recurring'),
    oneTime: items.filter((i) => i.price.type !== 'recurring'),
    metadata: metadata(sd),
    trialPeriodDays: int(sd, 'trial_period_days'),
    applicationFeePercent: num(sd, 'application_fee_percent') ?? null,
    defaultPaymentMethod: pm,
    paymentBehavior: 'error_if_incomplete',
    description: str(sd, 'description') ?? null,
    forceSucceed: true,
  }, undefined);
  session.subscription = sub.id;
  session.invoice = sub.latest_invoice;
  finish(fake, account, session, customer, email, opts, (session.amount_total as number) === 0 ? 'no_payment_required' : 'paid');
  return session;
}

function finish(fake: Fake, account: string | null, session: StripeObject, customer: string | null, email: string, opts: CompleteOptions, paymentStatus: string): void {
  session.customer = customer;
  session.customer_details = { address: null, email, name: opts.name ?? null, phone: null, tax_exempt: 'none', tax_ids: [] };
  session.status = 'complete';
  session.payment_status = paymentStatus;
  session.url = null;
  fake.emit(account, 'checkout.session.completed', session);
}

function sessionResponse(ctx: Ctx, session: StripeObject): StripeObject {
  const out = clone(session);
  const paths = expandList(ctx.params);
  if (paths.some((p) => p === 'line_items' || p.startsWith('line_items.'))) {
    out.line_items = { object: 'list', data: (session._line_items as StripeObject[]).map(clone), has_more: false, url: `/v1/checkout/sessions/${session.id}/line_items` };
  }
  expand(ctx.fake.store, ctx.account, out, paths);
  return out;
}

export const checkoutRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/checkout/sessions',
    handler: (ctx) => {
      rejectUnknown(ctx.params, CREATE);
      const mode = oneOf(ctx.params, 'mode', ['payment', 'setup', 'subscription'], { required: true }) as string;
      if (mode === 'setup') throw invalidRequest('fake-stripe: mode=setup is not implemented', { param: 'mode' });
      const customer = str(ctx.params, 'customer') ?? null;
      const customerEmail = str(ctx.params, 'customer_email') ?? null;
      if (customer && customerEmail) throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', { code: 'parameters_exclusive', param: 'customer' });
      if (customer) find(ctx, 'customer', 'customer', customer, 'customer');
      const customerCreation = oneOf(ctx.params, 'customer_creation', ['always', 'if_required']);
      if (customerCreation && mode !== 'payment') throw invalidRequest('`customer_creation` can only be used in `payment` and `setup` mode.', { param: 'customer_creation' });
      if (customerCreation && customer) throw invalidRequest('You may only specify one of these parameters: customer, customer_creation.', { code: 'parameters_exclusive', param: 'customer_creation' });
      const pid = obj(ctx.params, 'payment_intent_data');
      const sd = obj(ctx.params, 'subscription_data');
      if (pid && mode !== 'payment') throw invalidRequest('You can not pass `payment_intent_data` in `subscription` mode.', { param: 'payment_intent_data' });
      if (sd && mode !== 'subscription') throw invalidRequest(`You can not pass \`subscription_data\` in \`${mode}\` mode.`, { param: 'subscription_data' });
      const items = lineItems(ctx, mode);
      // With a trial nothing is due today: Checkout shows a zero total.
      const trial = sd ? int(sd, 'trial_period_days', { min: 1, param: 'subscription_data[trial_period_days]' }) : undefined;
      const total = items.reduce((a, li) => a + (trial && li.input.price.type === 'recurring' ? 0 : (li.object.amount_total as number)), 0);
      const fee = pid ? int(pid, 'application_fee_amount', { min: 0, param: 'payment_intent_data[application_fee_amount]' }) : undefined;
      const destination = pid && obj(pid, 'transfer_data', { param: 'payment_intent_data[transfer_data]' });
      const destId = destination && str(destination, 'destination', { required: true, param: 'payment_intent_data[transfer_data][destination]' });
      if (destId && !ctx.fake.store.get(null, destId, 'account')) {
        throw invalidRequest(`No such destination: '${destId}'`, { code: 'resource_missing', param: 'payment_intent_data[transfer_data][destination]' });
      }
      if (fee !== undefined) {
        if (!ctx.account && !destination) {
          throw invalidRequest('Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).', { param: 'payment_intent_data[application_fee_amount]' });
        }
        if (fee > total) throw invalidRequest(`The application fee amount (${fee}) must be less than or equal to the charge amount (${total}).`, { param: 'payment_intent_data[application_fee_amount]' });
      }
      if (sd && num(sd, 'application_fee_percent', { param: 'subscription_data[application_fee_percent]' }) !== undefined && !ctx.account && !obj(sd, 'transfer_data')) {
        throw invalidRequest('Can only apply an application_fee_percent when the request is made on behalf of another account (using an OAuth key, the Stripe-Account header, or the on_behalf_of parameter).', { param: 'subscription_data[application_fee_percent]' });
      }
      if (ctx.account) {
        const acct = ctx.fake.store.get(null, ctx.account, 'account') as StripeObject;
        if (!acct.charges_enabled) {
          throw new FakeStripeError(400, 'invalid_request_error', `The account ${ctx.account} cannot currently make charges: it has not completed onboarding (charges_enabled is false).`, { code: 'account_invalid' });
        }
      }
      const now = ctx.fake.now();
      const expiresAt = int(ctx.params, 'expires_at') ?? now + 86_400;
      if (expiresAt < now + 1800 || expiresAt > now + 86_400) {
        throw invalidRequest('The `expires_at` timestamp must be at least 30 minutes and at most 24 hours from Checkout Session creation.', { param: 'expires_at' });
      }
      const uiMode = oneOf(ctx.params, 'ui_mode', ['hosted', 'embedded', 'custom']) ?? 'hosted';
      const successUrl = str(ctx.params, 'success_url') ?? null;
      if (uiMode === 'hosted' && ctx.params.return_url !== undefined) throw invalidRequest('`return_url` can only be used with `ui_mode=embedded` or `ui_mode=custom`.', { param: 'return_url' });
      const id = `cs_test_${randomId('x', 58).slice(2)}`;
      const session: StripeObject = {
        id,
        object: 'checkout.session',
        after_expiration: null,
        allow_promotion_codes: bool(ctx.params, 'allow_promotion_codes') ?? null,
        amount_subtotal: total,
        amount_total: total,
        automatic_tax: { enabled: false, liability: null, status: null },
        billing_address_collection: str(ctx.params, 'billing_address_collection') ?? null,
        cancel_url: str(ctx.params, 'cancel_url') ?? null,
        client_reference_id: str(ctx.params, 'client_reference_id') ?? null,
        client_secret: uiMode === 'hosted' ? null : `${id}_secret_${randomId('x', 20).slice(2)}`,
        created: now,
        currency: items[0].input.price.currency,
        customer,
        customer_creation: mode === 'payment' && !customer ? customerCreation ?? 'if_required' : mode === 'subscription' && !customer ? 'always' : null,
        customer_details: customerEmail ? { address: null, email: customerEmail, name: null, phone: null, tax_exempt: 'none', tax_ids: null } : null,
        customer_email: customerEmail,
        expires_at: expiresAt,
        invoice: null,
        livemode: false,
        locale: str(ctx.params, 'locale') ?? null,
        metadata: metadata(ctx.params),
        mode,
        payment_intent: null,
        payment_link: null,
        payment_method_types: ['card'],
        payment_status: 'unpaid',
        return_url: str(ctx.params, 'return_url') ?? null,
        status: 'open',
        subscription: null,
        success_url: successUrl,
        total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
        ui_mode: uiMode,
        url: uiMode === 'hosted' ? `https://checkout.stripe.com/c/pay/${id}` : null,
        _items: items.map((li) => li.input),
        _line_items: items.map((li) => li.object),
        _payment_intent_data: pid ?? null,
        _subscription_data: sd ?? null,
      };
      ctx.fake.store.put(ctx.account, session);
      return sessionResponse(ctx, session);
    },
  },
  { method: 'GET', path: '/v1/checkout/sessions/:id', handler: (ctx) => sessionResponse(ctx, find(ctx, 'checkout.session', 'checkout.session', ctx.path.id)) },
  {
    method: 'GET',
    path: '/v1/checkout/sessions/:id/line_items',
    handler: (ctx) => {
      const session = find(ctx, 'checkout.session', 'checkout.session', ctx.path.id);
      const list = paginate(session._line_items as StripeObject[], ctx.params, `/v1/checkout/sessions/${session.id}/line_items`);
      expand(ctx.fake.store, ctx.account, list, expandList(ctx.params));
      return list;
    },
  },
  {
    method: 'GET',
    path: '/v1/checkout/sessions',
    handler: (ctx) => {
      const pi = str(ctx.params, 'payment_intent');
      const sub = str(ctx.params, 'subscription');
      const customer = str(ctx.params, 'customer');
      const status = str(ctx.params, 'status');
      const all = ctx.fake.store.all(ctx.account, 'checkout.session').filter((s) =>
        (!pi || s.payment_intent === pi) && (!sub || s.subscription === sub) && (!customer || s.customer === customer) && (!status || s.status === status));
      const list = paginate(all, ctx.params, '/v1/checkout/sessions');
      expand(ctx.fake.store, ctx.account, list, expandList(ctx.params));
      return list;
    },
  },
  {
    method: 'POST',
    path: '/v1/checkout/sessions/:id/expire',
    handler: (ctx) => {
      const session = find(ctx, 'checkout.session', 'checkout.session', ctx.path.id);
      if (session.status !== 'open') {
        throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
      }
      expireSession(ctx.fake, ctx.account, session, { id: ctx.requestId, idempotency_key: ctx.idempotencyKey });
      return sessionResponse(ctx, session);
    },
  },
];
