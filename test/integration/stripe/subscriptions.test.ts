// Provider → tenant platform subscriptions: Checkout in subscription mode, lifecycle, renewals,
// failed payments, cancellation, the Billing Portal.
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeStripe } from '../../support/fake-stripe/index.ts';
import { startFakeStripe } from '../../support/fake-stripe/index.ts';

let fake: FakeStripe;

beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  await fake.reset();
});

async function plan(unitAmount = 4900): Promise<Stripe.Price> {
  const product = await fake.stripe.products.create({ name: 'Parley Team', metadata: { plan: 'team' } });
  return fake.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: unitAmount, recurring: { interval: 'month' }, lookup_key: 'team_monthly' });
}

describe('subscriptions', () => {
  it('starts through Checkout in subscription mode', async () => {
    const price = await plan();
    const customer = await fake.stripe.customers.create({ email: 'owner@acme.test', name: 'Acme', metadata: { tenant_id: 'acme' } });
    const session = await fake.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 5 }],
      success_url: 'https://parley.test/admin/billing?ok=1',
      cancel_url: 'https://parley.test/admin/billing',
      client_reference_id: 'acme',
      subscription_data: { metadata: { tenant_id: 'acme' } },
    });
    expect(session).toMatchObject({ mode: 'subscription', amount_total: 24_500, subscription: null, customer: customer.id });

    const done = fake.complete(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const sub = await fake.stripe.subscriptions.retrieve(done.subscription as string, { expand: ['latest_invoice', 'customer'] });
    expect(sub).toMatchObject({ object: 'subscription', status: 'active', metadata: { tenant_id: 'acme' }, cancel_at_period_end: false });
    expect((sub.customer as Stripe.Customer).email).toBe('owner@acme.test');
    expect(sub.items.data[0]).toMatchObject({ object: 'subscription_item', quantity: 5 });
    expect(sub.items.data[0].price.id).toBe(price.id);
    expect(sub.items.data[0].current_period_end).toBeGreaterThan(sub.items.data[0].current_period_start);
    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ object: 'invoice', status: 'paid', amount_paid: 24_500, billing_reason: 'subscription_create' });
    expect(invoice.parent?.subscription_details?.subscription).toBe(sub.id);
    expect(fake.events().map((e) => e.type)).toEqual(['customer.subscription.created', 'invoice.paid', 'checkout.session.completed']);
  });

  it('creates a customer in Checkout when none is given', async () => {
    const price = await plan();
    const session = await fake.stripe.checkout.sessions.create({ mode: 'subscription', customer_email: 'new@tenant.test', line_items: [{ price: price.id, quantity: 1 }], subscription_data: { trial_period_days: 14 } });
    const done = fake.complete(session.id);
    expect(done.customer).toMatch(/^cus_/);
    expect(done.payment_status).toBe('no_payment_required');
    const sub = await fake.stripe.subscriptions.retrieve(done.subscription as string);
    expect(sub.status).toBe('trialing');
    expect(sub.trial_end! - sub.trial_start!).toBe(14 * 86_400);
    expect((await fake.stripe.customers.retrieve(done.customer as string) as Stripe.Customer).email).toBe('new@tenant.test');
  });

  it('bills a one-time setup fee bought with the subscription on the first invoice only', async () => {
    const price = await plan(1000);
    const setup = await fake.stripe.prices.create({ currency: 'usd', unit_amount: 5000, product_data: { name: 'Onboarding' } });
    const session = await fake.stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }, { price: setup.id, quantity: 1 }], subscription_data: { trial_period_days: 7 } });
    expect(session.amount_total).toBe(5000);
    const done = fake.complete(session.id);
    expect(done.payment_status).toBe('paid');
    const sub = await fake.stripe.subscriptions.retrieve(done.subscription as string, { expand: ['latest_invoice'] });
    expect(sub.status).toBe('trialing');
    expect(sub.items.data.map((i) => i.price.id)).toEqual([price.id]);
    expect((sub.latest_invoice as Stripe.Invoice).amount_paid).toBe(5000);
    fake.renew(sub.id);
    const next = await fake.stripe.invoices.list({ subscription: sub.id, limit: 1 });
    expect(next.data[0]).toMatchObject({ billing_reason: 'subscription_cycle', amount_paid: 1000 });
    expect((await fake.stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
  });

  it('changes quantity with customer.subscription.updated and previous_attributes', async () => {
    const price = await plan();
    const customer = await fake.stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const sub = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 2 }] });
    expect(sub.status).toBe('active');
    const updated = await fake.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0].id, quantity: 7 }], proration_behavior: 'none' });
    expect(updated.items.data[0].quantity).toBe(7);
    const event = fake.events({ type: 'customer.subscription.updated' }).at(-1)!;
    const previous = (event.data as { previous_attributes: { items: Stripe.ApiList<Stripe.SubscriptionItem> } }).previous_attributes;
    expect(previous.items.data[0].quantity).toBe(2);
  });

  it('renews on the clock, fails a payment into past_due, recovers, and cancels at period end', async () => {
    const price = await plan(1000);
    const customer = await fake.stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const sub = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 1 }] });
    const periodEnd = sub.items.data[0].current_period_end;

    fake.advanceClock(periodEnd - fake.now() + 1);
    let now = await fake.stripe.subscriptions.retrieve(sub.id);
    expect(now.status).toBe('active');
    expect(now.items.data[0].current_period_start).toBe(periodEnd);
    const invoices = await fake.stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data.map((i) => [i.billing_reason, i.status])).toEqual([['subscription_cycle', 'paid'], ['subscription_create', 'paid']]);

    fake.renew(sub.id, { succeed: false });
    now = await fake.stripe.subscriptions.retrieve(sub.id);
    expect(now.status).toBe('past_due');
    const failed = fake.events({ type: 'invoice.payment_failed' });
    expect(failed).toHaveLength(1);
    expect((failed[0].data as { object: Stripe.Invoice }).object).toMatchObject({ status: 'open', attempt_count: 1 });

    fake.renew(sub.id);
    expect((await fake.stripe.subscriptions.retrieve(sub.id)).status).toBe('active');

    const cancelling = await fake.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(cancelling).toMatchObject({ status: 'active', cancel_at_period_end: true });
    fake.advanceClock(cancelling.items.data[0].current_period_end - fake.now() + 1);
    const ended = await fake.stripe.subscriptions.retrieve(sub.id);
    expect(ended.status).toBe('canceled');
    expect(ended.ended_at).toBe(cancelling.items.data[0].current_period_end);
    expect(fake.events({ type: 'customer.subscription.deleted' })).toHaveLength(1);
    expect((await fake.stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(0);
    expect((await fake.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(1);
  });

  it('cancels at once, and a canceled subscription cannot change', async () => {
    const price = await plan();
    const customer = await fake.stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const sub = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const canceled = await fake.stripe.subscriptions.cancel(sub.id);
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: { reason: 'cancellation_requested' } });
    const err = await fake.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0].id, quantity: 3 }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const twice = await fake.stripe.subscriptions.cancel(sub.id).catch((e: unknown) => e);
    expect(twice).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const meta = await fake.stripe.subscriptions.update(sub.id, { metadata: { note: 'gone' } });
    expect(meta.metadata.note).toBe('gone');
  });

  it('declines: card error with error_if_incomplete, incomplete with allow_incomplete', async () => {
    const price = await plan();
    const customer = await fake.stripe.customers.create({ payment_method: 'pm_card_chargeDeclined', invoice_settings: { default_payment_method: 'pm_card_chargeDeclined' } });
    const err = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'error_if_incomplete' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    const sub = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(sub.status).toBe('incomplete');
    expect(fake.events().map((e) => e.type)).toEqual(['customer.subscription.created', 'invoice.payment_failed']);

    // Attached is not enough: invoices charge the default payment method only.
    const bare = await fake.stripe.customers.create({ payment_method: 'pm_card_visa' });
    const none = await fake.stripe.subscriptions.create({ customer: bare.id, items: [{ price: price.id }] }).catch((e: unknown) => e);
    expect((none as Error).message).toMatch(/no attached payment source or default payment method/);
    const unknownPm = await fake.stripe.customers.update(bare.id, { invoice_settings: { default_payment_method: 'pm_never_attached' } }).catch((e: unknown) => e);
    expect(unknownPm).toMatchObject({ code: 'resource_missing', param: 'invoice_settings[default_payment_method]' });
    const pending = await fake.stripe.subscriptions.create({ customer: bare.id, items: [{ price: price.id }], payment_behavior: 'default_incomplete' });
    expect(pending.status).toBe('incomplete');
  });

  it('opens a Billing Portal session for a customer', async () => {
    const customer = await fake.stripe.customers.create({ email: 'owner@acme.test' });
    const portal = await fake.stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'https://parley.test/admin/billing' });
    expect(portal.id).toMatch(/^bps_/);
    expect(portal).toMatchObject({ object: 'billing_portal.session', customer: customer.id, return_url: 'https://parley.test/admin/billing', livemode: false });
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
    const missing = await fake.stripe.billingPortal.sessions.create({ customer: 'cus_missing' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'resource_missing', param: 'customer', statusCode: 400 });
  });

  it('finds prices by lookup key and refuses a taken one', async () => {
    const price = await plan();
    const found = await fake.stripe.prices.list({ lookup_keys: ['team_monthly'], expand: ['data.product'] });
    expect(found.data.map((p) => p.id)).toEqual([price.id]);
    expect((found.data[0].product as Stripe.Product).name).toBe('Parley Team');
    const dup = await fake.stripe.prices.create({ product: price.product as string, currency: 'usd', unit_amount: 1, lookup_key: 'team_monthly' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});
