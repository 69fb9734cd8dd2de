// Tenant → customer payments: a prepaid incident pack bought through Checkout on the tenant's
// connected account, with an application fee, paid, signalled by a signed webhook, refunded.
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeStripe } from '../../support/fake-stripe/index.ts';
import { startFakeStripe } from '../../support/fake-stripe/index.ts';
import type { Receiver } from '../../support/fake-stripe/receiver.ts';
import { startReceiver } from '../../support/fake-stripe/receiver.ts';

let fake: FakeStripe;
let receiver: Receiver;
let secret: string;

beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(async () => {
  await receiver?.close();
  await fake.close();
});
beforeEach(async () => {
  await fake.reset();
  await receiver?.close();
  receiver = await startReceiver();
  secret = fake.webhooks.addEndpoint(receiver.url, { scope: 'connect' });
});

async function onboardedTenant(): Promise<string> {
  const account = await fake.stripe.accounts.create({ type: 'express', email: 'owner@tenant.test', capabilities: { card_payments: { requested: true }, transfers: { requested: true } } });
  fake.onboard(account.id);
  return account.id;
}

async function incidentPack(account: string): Promise<Stripe.Price> {
  const product = await fake.stripe.products.create({ name: '10 incidents' }, { stripeAccount: account });
  return fake.stripe.prices.create({ product: product.id, unit_amount: 25_000, currency: 'eur' }, { stripeAccount: account });
}

describe('Connect: accounts and onboarding', () => {
  it('creates an express account, an onboarding link, and reports onboarding through account.updated', async () => {
    const account = await fake.stripe.accounts.create({ type: 'express', country: 'FR', email: 'owner@tenant.test' });
    expect(account.id).toMatch(/^acct_/);
    expect(account.charges_enabled).toBe(false);
    expect(account.requirements?.currently_due?.length).toBeGreaterThan(0);

    const link = await fake.stripe.accountLinks.create({ account: account.id, type: 'account_onboarding', refresh_url: 'https://parley.test/r', return_url: 'https://parley.test/done' });
    expect(link.object).toBe('account_link');
    expect(link.url).toContain(account.id);

    fake.onboard(account.id);
    const [delivery] = await fake.webhooks.waitFor('account.updated');
    const event = fake.stripe.webhooks.constructEvent(delivery.body, delivery.signature, secret);
    expect(event.account).toBe(account.id);
    expect((event.data.object as Stripe.Account).charges_enabled).toBe(true);
    expect(event.data.previous_attributes).toMatchObject({ charges_enabled: false });
    expect((await fake.stripe.accounts.retrieve(account.id)).charges_enabled).toBe(true);
  });

  it('refuses Checkout on an account that has not finished onboarding', async () => {
    const fresh = await fake.stripe.accounts.create({ type: 'express' });
    const price = await incidentPack(fresh.id);
    const err = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }] }, { stripeAccount: fresh.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    fake.onboard(fresh.id);
    const ok = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }] }, { stripeAccount: fresh.id });
    expect(ok.status).toBe('open');
  });

  it('rejects an unknown Stripe-Account with a permission error', async () => {
    const err = await fake.stripe.customers.list({}, { stripeAccount: 'acct_doesnotexist' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect((err as Stripe.errors.StripeError).statusCode).toBe(403);
  });
});

describe('Checkout in payment mode on a connected account', () => {
  it('is paid, signalled by a signed webhook, and readable back with the application fee', async () => {
    const account = await onboardedTenant();
    const price = await incidentPack(account);
    const session = await fake.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: 'https://acme.parley.test/billing/success?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://acme.parley.test/billing',
      client_reference_id: 'tenant_acme:customer_42',
      customer_email: 'buyer@customer.test',
      metadata: { pack: 'incidents-10' },
      payment_intent_data: { application_fee_amount: 2_500, metadata: { pack: 'incidents-10' } },
    }, { stripeAccount: account });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({ object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid', amount_total: 50_000, currency: 'eur', livemode: false, payment_intent: null });
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);

    // The session belongs to the connected account: the platform cannot see it.
    const notHere = await fake.stripe.checkout.sessions.retrieve(session.id).catch((e: unknown) => e);
    expect(notHere).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((notHere as Stripe.errors.StripeError).code).toBe('resource_missing');
    expect((notHere as Stripe.errors.StripeError).statusCode).toBe(404);

    const items = await fake.stripe.checkout.sessions.listLineItems(session.id, {}, { stripeAccount: account });
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ object: 'item', quantity: 2, amount_total: 50_000, description: '10 incidents' });
    expect(items.data[0].price?.id).toBe(price.id);

    fake.complete(session.id);
    const [delivery] = await fake.webhooks.waitFor('checkout.session.completed');
    const received = receiver.received.find((r) => r.body === delivery.body);
    expect(received).toBeDefined();
    expect(received?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = fake.stripe.webhooks.constructEvent(received!.body, received!.signature!, secret);
    expect(event).toMatchObject({ object: 'event', type: 'checkout.session.completed', account, api_version: fake.apiVersion, livemode: false });
    expect(event.id).toMatch(/^evt_/);
    const completed = event.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ id: session.id, status: 'complete', payment_status: 'paid', client_reference_id: 'tenant_acme:customer_42', metadata: { pack: 'incidents-10' } });

    // Tampering with the payload, or the wrong secret, fails verification.
    const tampered = received!.body.replace('"amount_total": 50000', '"amount_total": 1');
    expect(tampered).not.toBe(received!.body);
    expect(() => fake.stripe.webhooks.constructEvent(tampered, received!.signature!, secret)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => fake.stripe.webhooks.constructEvent(received!.body, received!.signature!, 'whsec_wrong')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    // Re-serialising the parsed body (instead of using the raw body) also fails: the fake sends Stripe's pretty-printed JSON.
    expect(() => fake.stripe.webhooks.constructEvent(JSON.stringify(JSON.parse(received!.body)), received!.signature!, secret)).toThrow(Stripe.errors.StripeSignatureVerificationError);

    // The truth, re-read from the API.
    const fresh = await fake.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent', 'line_items'] }, { stripeAccount: account });
    const pi = fresh.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 50_000, application_fee_amount: 2_500, metadata: { pack: 'incidents-10' } });
    expect(fresh.line_items?.data[0].quantity).toBe(2);
    const types = fake.events({ account }).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['payment_intent.succeeded', 'checkout.session.completed']));
  });

  it('keeps the session open and sends no completion when the card is declined', async () => {
    const account = await onboardedTenant();
    const price = await incidentPack(account);
    const session = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }], success_url: 'https://x.test/ok' }, { stripeAccount: account });
    const after = fake.complete(session.id, { succeed: false });
    expect(after.status).toBe('open');
    await fake.webhooks.idle();
    expect(fake.events({ type: 'checkout.session.completed' })).toHaveLength(0);
    const pi = await fake.stripe.paymentIntents.retrieve(after.payment_intent as string, {}, { stripeAccount: account });
    expect(pi.status).toBe('requires_payment_method');
    expect(pi.last_payment_error?.code).toBe('card_declined');
  });

  it('refunds partly then fully, with charge.refunded, and refuses to refund more', async () => {
    const account = await onboardedTenant();
    const price = await incidentPack(account);
    const session = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }], payment_intent_data: { application_fee_amount: 1000 } }, { stripeAccount: account });
    const paid = fake.complete(session.id);
    const pi = paid.payment_intent as string;

    const partial = await fake.stripe.refunds.create({ payment_intent: pi, amount: 10_000, reason: 'requested_by_customer' }, { stripeAccount: account });
    expect(partial).toMatchObject({ object: 'refund', amount: 10_000, status: 'succeeded', payment_intent: pi });
    expect(partial.id).toMatch(/^re_/);
    const tooMuch = await fake.stripe.refunds.create({ payment_intent: pi, amount: 20_000 }, { stripeAccount: account }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((tooMuch as Stripe.errors.StripeError).code).toBe('amount_too_large');
    await fake.stripe.refunds.create({ payment_intent: pi }, { stripeAccount: account });
    const again = await fake.stripe.refunds.create({ payment_intent: pi }, { stripeAccount: account }).catch((e: unknown) => e);
    expect((again as Stripe.errors.StripeError).code).toBe('charge_already_refunded');

    const deliveries = await fake.webhooks.waitFor('charge.refunded', { count: 2 });
    const last = fake.stripe.webhooks.constructEvent(deliveries[1].body, deliveries[1].signature, secret);
    expect(last.data.object).toMatchObject({ object: 'charge', amount_refunded: 25_000, refunded: true });
    expect(last.data.previous_attributes).toMatchObject({ amount_refunded: 10_000, refunded: false });
  });

  it('refuses an application fee outside Connect, and recurring prices in payment mode', async () => {
    const product = await fake.stripe.products.create({ name: 'Pack' });
    const oneTime = await fake.stripe.prices.create({ product: product.id, unit_amount: 1000, currency: 'usd' });
    const monthly = await fake.stripe.prices.create({ product: product.id, unit_amount: 1000, currency: 'usd', recurring: { interval: 'month' } });
    const fee = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: oneTime.id, quantity: 1 }], payment_intent_data: { application_fee_amount: 10 } }).catch((e: unknown) => e);
    expect(fee).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((fee as Stripe.errors.StripeError).param).toBe('payment_intent_data[application_fee_amount]');
    const recurring = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: monthly.id, quantity: 1 }] }).catch((e: unknown) => e);
    expect((recurring as Error).message).toMatch(/recurring price/);
  });

  it('expires a session on request and when its expires_at passes', async () => {
    const account = await onboardedTenant();
    const price = await incidentPack(account);
    const a = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }] }, { stripeAccount: account });
    const b = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }], expires_at: fake.now() + 3600 }, { stripeAccount: account });
    const expired = await fake.stripe.checkout.sessions.expire(a.id, {}, { stripeAccount: account });
    expect(expired.status).toBe('expired');
    fake.advanceClock(3601);
    expect((await fake.stripe.checkout.sessions.retrieve(b.id, {}, { stripeAccount: account })).status).toBe('expired');
    const deliveries = await fake.webhooks.waitFor('checkout.session.expired', { count: 2 });
    expect(deliveries.map((d) => JSON.parse(d.body).data.object.id).sort()).toEqual([a.id, b.id].sort());
  });
});

describe('subscriptions on a connected account', () => {
  it('charges the application fee percent on invoices, and events carry the account', async () => {
    const account = await onboardedTenant();
    const product = await fake.stripe.products.create({ name: 'Priority support' }, { stripeAccount: account });
    const price = await fake.stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 2000, recurring: { interval: 'month' } }, { stripeAccount: account });
    const session = await fake.stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }], subscription_data: { application_fee_percent: 10 } }, { stripeAccount: account });
    const done = fake.complete(session.id);
    const [paid] = await fake.webhooks.waitFor('invoice.paid');
    const event = fake.stripe.webhooks.constructEvent(paid.body, paid.signature, secret);
    expect(event.account).toBe(account);
    expect(event.data.object).toMatchObject({ object: 'invoice', amount_paid: 2000, application_fee_amount: 200 });
    const sub = await fake.stripe.subscriptions.retrieve(done.subscription as string, {}, { stripeAccount: account });
    expect(sub.application_fee_percent).toBe(10);
    const platformOnly = await fake.stripe.subscriptions.create({ customer: (await fake.stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } })).id, items: [{ price: (await fake.stripe.prices.create({ currency: 'eur', unit_amount: 1, recurring: { interval: 'month' }, product_data: { name: 'x' } })).id }], application_fee_percent: 5 }).catch((e: unknown) => e);
    expect(platformOnly).toMatchObject({ param: 'application_fee_percent', statusCode: 400 });
  });
});
