// The API's general behaviour, as the real stripe library sees it: authentication, errors,
// idempotency, lists, expansion, and the wire format itself.
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

describe('authentication', () => {
  it('answers 401 to a wrong key (StripeAuthenticationError) and to no key', async () => {
    const err = await fake.client({ apiKey: 'sk_test_wrong_key_1234' }).customers.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(err).toMatchObject({ statusCode: 401, message: expect.stringMatching(/^Invalid API Key provided: sk_test_\**1234$/) });
    const res = await fetch(`${fake.url}/v1/customers`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/You did not provide an API key/);
  });

  it('accepts HTTP Basic auth with the key as user name, like Stripe', async () => {
    const res = await fetch(`${fake.url}/v1/customers`, { headers: { authorization: `Basic ${Buffer.from(`${fake.secretKey}:`).toString('base64')}` } });
    expect(res.status).toBe(200);
  });
});

describe('errors', () => {
  it('names missing, unknown and malformed parameters', async () => {
    const missing = await fake.stripe.products.create({} as Stripe.ProductCreateParams).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', rawType: 'invalid_request_error', code: 'parameter_missing', param: 'name', message: 'Missing required param: name.' });
    expect((missing as Stripe.errors.StripeError).doc_url).toBe('https://stripe.com/docs/error-codes/parameter-missing');
    expect((missing as Stripe.errors.StripeError).requestId).toMatch(/^req_/);

    const unknown = await fake.stripe.customers.create({ emial: 'typo@x.test' } as Stripe.CustomerCreateParams).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'emial', message: 'Received unknown parameter: emial' });

    const badInt = await fake.stripe.prices.create({ currency: 'usd', product_data: { name: 'x' }, unit_amount: 'ten' as unknown as number }).catch((e: unknown) => e);
    expect(badInt).toMatchObject({ code: 'parameter_invalid_integer', param: 'unit_amount' });

    const badEnum = await fake.stripe.checkout.sessions.create({ mode: 'rent' as 'payment' }).catch((e: unknown) => e);
    expect(badEnum).toMatchObject({ param: 'mode', message: 'Invalid mode: must be one of payment, setup, or subscription' });
  });

  it('says No such … with 404 for the URL subject and 400 for a parameter', async () => {
    const url = await fake.stripe.customers.retrieve('cus_nope').catch((e: unknown) => e);
    expect(url).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id', message: "No such customer: 'cus_nope'" });
    const param = await fake.stripe.subscriptions.create({ customer: 'cus_nope', items: [{ price: 'price_nope' }] }).catch((e: unknown) => e);
    expect(param).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'customer' });
  });

  it('answers an unknown URL with Stripe’s 404', async () => {
    const res = await fetch(`${fake.url}/v1/nothing_here`, { headers: { authorization: `Bearer ${fake.secretKey}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^Unrecognized request URL \(GET: \/v1\/nothing_here\)/);
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and parameters', async () => {
    const a = await fake.stripe.customers.create({ email: 'once@x.test' }, { idempotencyKey: 'create-customer-once' });
    const b = await fake.stripe.customers.create({ email: 'once@x.test' }, { idempotencyKey: 'create-customer-once' });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await fake.stripe.customers.list()).data).toHaveLength(1);
  });

  it('refuses the same key with other parameters or another endpoint (StripeIdempotencyError)', async () => {
    await fake.stripe.customers.create({ email: 'one@x.test' }, { idempotencyKey: 'k1' });
    const other = await fake.stripe.customers.create({ email: 'two@x.test' }, { idempotencyKey: 'k1' }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(other).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    expect((other as Error).message).toMatch(/same parameters/);
    const endpoint = await fake.stripe.products.create({ name: 'x' }, { idempotencyKey: 'k1' }).catch((e: unknown) => e);
    expect(endpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('scopes keys per connected account and does not save validation failures', async () => {
    const acct = await fake.stripe.accounts.create({ type: 'express' });
    const platform = await fake.stripe.customers.create({ email: 'p@x.test' }, { idempotencyKey: 'same' });
    const connected = await fake.stripe.customers.create({ email: 'c@x.test' }, { idempotencyKey: 'same', stripeAccount: acct.id });
    expect(connected.id).not.toBe(platform.id);
    await fake.stripe.products.create({} as Stripe.ProductCreateParams, { idempotencyKey: 'retry-me' }).catch(() => undefined);
    const fixed = await fake.stripe.products.create({ name: 'fixed' }, { idempotencyKey: 'retry-me' }).catch((e: unknown) => e);
    expect(fixed).not.toBeInstanceOf(Error);
  });

  it('replays webhooks-producing requests without emitting twice', async () => {
    const customer = await fake.stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const price = await fake.stripe.prices.create({ currency: 'usd', unit_amount: 100, recurring: { interval: 'month' }, product_data: { name: 'P' } });
    const a = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }, { idempotencyKey: 'sub-1' });
    const b = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }, { idempotencyKey: 'sub-1' });
    expect(b.id).toBe(a.id);
    expect(fake.events({ type: 'customer.subscription.created' })).toHaveLength(1);
    expect((fake.events({ type: 'customer.subscription.created' })[0].request as { idempotency_key: string }).idempotency_key).toBe('sub-1');
  });
});

describe('objects and lists', () => {
  it('lists newest first with cursors, and auto-pagination works', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await fake.stripe.customers.create({ email: `c${i}@x.test` })).id);
    const page1 = await fake.stripe.customers.list({ limit: 2 });
    expect(page1).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers' });
    expect(page1.data.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const page2 = await fake.stripe.customers.list({ limit: 2, starting_after: page1.data[1].id });
    expect(page2.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const back = await fake.stripe.customers.list({ limit: 2, ending_before: page2.data[0].id });
    expect(back.data.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const all: string[] = [];
    for await (const c of fake.stripe.customers.list({ limit: 2 })) all.push(c.id);
    expect(all).toEqual([...ids].reverse());
    expect((await fake.stripe.customers.list({ email: 'c3@x.test' })).data.map((c) => c.id)).toEqual([ids[3]]);
  });

  it('has Stripe’s common fields, updates metadata key by key, and deletes', async () => {
    const c = await fake.stripe.customers.create({ name: 'Acme', metadata: { a: '1', b: '2' } });
    expect(c).toMatchObject({ object: 'customer', livemode: false, name: 'Acme' });
    expect(c.id).toMatch(/^cus_/);
    expect(Math.abs(c.created - Date.now() / 1000)).toBeLessThan(5);
    const u = await fake.stripe.customers.update(c.id, { metadata: { a: '', c: '3' } });
    expect(u.metadata).toEqual({ b: '2', c: '3' });
    const d = await fake.stripe.customers.del(c.id);
    expect(d).toMatchObject({ id: c.id, object: 'customer', deleted: true });
    expect(await fake.stripe.customers.retrieve(c.id)).toMatchObject({ deleted: true });
  });

  it('expands ids into objects, and refuses to expand what is not expandable', async () => {
    const customer = await fake.stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const price = await fake.stripe.prices.create({ currency: 'usd', unit_amount: 100, recurring: { interval: 'month' }, product_data: { name: 'P' } });
    const sub = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const got = await fake.stripe.subscriptions.retrieve(sub.id, { expand: ['customer', 'items.data.price.product'] });
    expect((got.customer as Stripe.Customer).object).toBe('customer');
    expect((got.items.data[0].price.product as Stripe.Product).name).toBe('P');
    const listed = await fake.stripe.subscriptions.list({ expand: ['data.customer'] });
    expect((listed.data[0].customer as Stripe.Customer).id).toBe(customer.id);
    const err = await fake.stripe.subscriptions.retrieve(sub.id, { expand: ['status'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('reads nested form-encoded bodies the way Stripe’s clients send them', async () => {
    const body = 'mode=payment&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=700&line_items[0][price_data][product_data][name]=Pack%20%26%20more&line_items[0][quantity]=3&metadata[tenant]=acme&expand[0]=line_items';
    const res = await fetch(`${fake.url}/v1/checkout/sessions`, { method: 'POST', headers: { authorization: `Bearer ${fake.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const session = (await res.json()) as { line_items: { data: unknown[] } };
    expect(session).toMatchObject({ object: 'checkout.session', amount_total: 2100, metadata: { tenant: 'acme' } });
    expect(session.line_items.data[0]).toMatchObject({ quantity: 3, description: 'Pack & more' });
  });
});
