// Pay-per-request: Billing Meters, meter events with an idempotent `identifier`, metered prices
// billed in arrears on renewal.
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

async function meter(): Promise<Stripe.Billing.Meter> {
  return fake.stripe.billing.meters.create({ display_name: 'Support requests', event_name: 'support_request', default_aggregation: { formula: 'sum' } });
}

describe('billing meters', () => {
  it('creates and lists meters with Stripe defaults, and refuses a second active meter for one event name', async () => {
    const m = await meter();
    expect(m.id).toMatch(/^mtr_/);
    expect(m).toMatchObject({ object: 'billing.meter', status: 'active', event_name: 'support_request', customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' }, value_settings: { event_payload_key: 'value' }, default_aggregation: { formula: 'sum' } });
    expect((await fake.stripe.billing.meters.list()).data.map((x) => x.id)).toEqual([m.id]);
    await expect(meter()).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('records meter events, rejects a duplicate identifier, and sums usage', async () => {
    const m = await meter();
    const customer = await fake.stripe.customers.create({});
    const start = fake.now();
    const first = await fake.stripe.billing.meterEvents.create({ event_name: 'support_request', identifier: 'ticket_1:reply_1', payload: { stripe_customer_id: customer.id, value: '1' } });
    expect(first).toMatchObject({ object: 'billing.meter_event', identifier: 'ticket_1:reply_1', event_name: 'support_request', livemode: false, payload: { stripe_customer_id: customer.id, value: '1' } });
    expect(first).not.toHaveProperty('id');
    await fake.stripe.billing.meterEvents.create({ event_name: 'support_request', identifier: 'ticket_2:reply_1', payload: { stripe_customer_id: customer.id, value: '3' } });

    const dup = await fake.stripe.billing.meterEvents.create({ event_name: 'support_request', identifier: 'ticket_1:reply_1', payload: { stripe_customer_id: customer.id, value: '1' } }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(dup).toMatchObject({ statusCode: 400, message: 'An event already exists with identifier ticket_1:reply_1.' });

    // Without an identifier Stripe generates one, so retries would double count.
    const generated = await fake.stripe.billing.meterEvents.create({ event_name: 'support_request', payload: { stripe_customer_id: customer.id, value: '1' } });
    expect(generated.identifier).toBeTruthy();

    const summary = await fake.stripe.billing.meters.listEventSummaries(m.id, { customer: customer.id, start_time: start - 60, end_time: fake.now() + 60 });
    expect(summary.data[0]).toMatchObject({ object: 'billing.meter_event_summary', aggregated_value: 5, meter: m.id });
  });

  it('refuses events too far in the past', async () => {
    await meter();
    const err = await fake.stripe.billing.meterEvents.create({ event_name: 'support_request', timestamp: fake.now() - 40 * 86_400, payload: { stripe_customer_id: 'cus_x', value: '1' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 400, param: 'timestamp' });
  });

  it('needs a meter for a metered price, and bills the period usage in arrears', async () => {
    const m = await meter();
    const product = await fake.stripe.products.create({ name: 'Pay per request' });
    const noMeter = await fake.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 50, recurring: { interval: 'month', usage_type: 'metered' } }).catch((e: unknown) => e);
    expect(noMeter).toMatchObject({ code: 'parameter_missing', param: 'recurring[meter]' });
    const price = await fake.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 50, recurring: { interval: 'month', usage_type: 'metered', meter: m.id } });
    expect(price.recurring).toMatchObject({ usage_type: 'metered', meter: m.id });

    const customer = await fake.stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const withQty = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 1 }] }).catch((e: unknown) => e);
    expect(withQty).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const sub = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(sub.status).toBe('active');
    expect(sub.items.data[0].quantity).toBeUndefined();

    for (let i = 0; i < 7; i++) {
      await fake.stripe.billing.meterEvents.create({ event_name: 'support_request', identifier: `req_${i}`, payload: { stripe_customer_id: customer.id, value: '1' } });
    }
    fake.advanceClock(sub.items.data[0].current_period_end - fake.now() + 1);
    const invoices = await fake.stripe.invoices.list({ subscription: sub.id });
    const cycle = invoices.data[0];
    expect(cycle).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', amount_paid: 350 });
    expect(cycle.lines.data[0]).toMatchObject({ quantity: 7, amount: 350 });
  });
});
