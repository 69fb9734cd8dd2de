// Webhook delivery as Stripe does it, and the awkward cases a handler must survive:
// out-of-order, duplicates, delays, failures followed by retries.
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeStripe } from '../../support/fake-stripe/index.ts';
import { startFakeStripe } from '../../support/fake-stripe/index.ts';
import type { Receiver } from '../../support/fake-stripe/receiver.ts';
import { startReceiver } from '../../support/fake-stripe/receiver.ts';

let fake: FakeStripe;
let receivers: Receiver[] = [];

async function receiver(respond?: (body: string, i: number) => number): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  await fake.reset();
});
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

function types(r: Receiver): string[] {
  return r.received.map((x) => JSON.parse(x.body).type as string);
}

/** customer.subscription.created, invoice.paid, customer.subscription.updated, customer.subscription.deleted */
async function subscriptionStory(): Promise<Stripe.Subscription> {
  const customer = await fake.stripe.customers.create({ email: 'a@tenant.test', payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
  const price = await fake.stripe.prices.create({ currency: 'usd', unit_amount: 4900, recurring: { interval: 'month' }, product_data: { name: 'Parley Team' } });
  const sub = await fake.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 3 }] });
  await fake.stripe.subscriptions.update(sub.id, { metadata: { tenant: 'acme' } });
  return fake.stripe.subscriptions.cancel(sub.id);
}

describe('webhook delivery', () => {
  it('signs each event like Stripe and sends it as pretty-printed JSON', async () => {
    const r = await receiver();
    const secret = fake.webhooks.addEndpoint(r.url);
    expect(secret).toMatch(/^whsec_/);
    await subscriptionStory();
    await fake.webhooks.idle();
    expect(types(r)).toEqual(['customer.subscription.created', 'invoice.paid', 'customer.subscription.updated', 'customer.subscription.deleted']);
    for (const got of r.received) {
      expect(got.headers['content-type']).toMatch(/^application\/json/);
      expect(got.headers['user-agent']).toMatch(/^Stripe\/1\.0/);
      expect(got.body).toBe(JSON.stringify(JSON.parse(got.body), null, 2));
      const event = fake.stripe.webhooks.constructEvent(got.body, got.signature!, secret);
      expect(event).toMatchObject({ object: 'event', livemode: false, api_version: fake.apiVersion });
      expect(event).not.toHaveProperty('account');
      expect(typeof event.created).toBe('number');
    }
    const updated = JSON.parse(r.received[2].body);
    expect(updated.data.previous_attributes).toEqual({ metadata: {} });
    expect(updated.request.idempotency_key).toMatch(/^stripe-node-retry-/);
  });

  it('matches the signature scheme of the stripe library (generateTestHeaderString)', async () => {
    const r = await receiver();
    const secret = fake.webhooks.addEndpoint(r.url, 'whsec_fixed_for_test');
    expect(secret).toBe('whsec_fixed_for_test');
    await subscriptionStory();
    await fake.webhooks.idle();
    const got = r.received[0];
    const t = Number(/t=(\d+)/.exec(got.signature!)![1]);
    expect(got.signature).toBe(fake.stripe.webhooks.generateTestHeaderString({ payload: got.body, secret, timestamp: t }));
  });

  it('delivers held events in reverse or chosen order (out-of-order delivery)', async () => {
    const r = await receiver();
    fake.webhooks.addEndpoint(r.url);
    fake.webhooks.pause();
    await subscriptionStory();
    await new Promise((res) => setTimeout(res, 50));
    expect(r.received).toHaveLength(0);
    expect(fake.webhooks.pending().map((e) => e.type)).toHaveLength(4);
    await fake.webhooks.flush('reverse');
    expect(types(r)).toEqual(['customer.subscription.deleted', 'customer.subscription.updated', 'invoice.paid', 'customer.subscription.created']);

    await subscriptionStory();
    const held = fake.webhooks.pending();
    await fake.webhooks.flush([held[2].id as string, held[0].id as string]);
    expect(types(r).slice(4)).toEqual(['customer.subscription.updated', 'customer.subscription.created']);
    expect(fake.webhooks.pending()).toHaveLength(2);
    await fake.webhooks.resume();
    expect(r.received).toHaveLength(8);
  });

  it('sends the same event twice on resend (duplicate delivery, same id)', async () => {
    const r = await receiver();
    const secret = fake.webhooks.addEndpoint(r.url);
    await subscriptionStory();
    await fake.webhooks.idle();
    const created = fake.events({ type: 'customer.subscription.created' })[0];
    await fake.webhooks.resend(created.id as string);
    const ids = r.received.map((x) => fake.stripe.webhooks.constructEvent(x.body, x.signature!, secret).id);
    expect(ids.filter((id) => id === created.id)).toHaveLength(2);
  });

  it('delivers every event twice when asked', async () => {
    const r = await receiver();
    fake.webhooks.addEndpoint(r.url);
    fake.webhooks.setDuplicates(2);
    await subscriptionStory();
    await fake.webhooks.idle();
    const ids = r.received.map((x) => JSON.parse(x.body).id as string);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]).toBe(ids[1]);
  });

  it('retries after the endpoint fails, with the same event id', async () => {
    let failures = 2;
    const r = await receiver(() => (failures-- > 0 ? 500 : 200));
    fake.webhooks.addEndpoint(r.url, { enabledEvents: ['customer.subscription.created'] });
    fake.webhooks.setRetry({ maxAttempts: 5, backoffMs: 10 });
    await subscriptionStory();
    await fake.webhooks.waitFor('customer.subscription.created');
    await fake.webhooks.idle();
    const attempts = fake.webhooks.deliveries.filter((d) => d.type === 'customer.subscription.created');
    expect(attempts.map((d) => [d.attempt, d.status])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect(new Set(attempts.map((d) => d.eventId)).size).toBe(1);
    expect(types(r)).toEqual(['customer.subscription.created', 'customer.subscription.created', 'customer.subscription.created']);
  });

  it('gives up after the last attempt and records unreachable endpoints', async () => {
    fake.webhooks.addEndpoint('http://127.0.0.1:9/nothing-listens-here');
    fake.webhooks.setRetry({ maxAttempts: 2, backoffMs: 5 });
    await subscriptionStory();
    await fake.webhooks.idle();
    const first = fake.webhooks.deliveries.filter((d) => d.type === 'customer.subscription.created');
    expect(first.map((d) => d.attempt)).toEqual([1, 2]);
    expect(first.every((d) => d.status === null && !d.ok && d.error)).toBe(true);
  });

  it('delays deliveries when asked', async () => {
    const r = await receiver();
    fake.webhooks.addEndpoint(r.url, { enabledEvents: ['customer.subscription.deleted'] });
    fake.webhooks.setDelay(150);
    const started = Date.now();
    await subscriptionStory();
    expect(r.received).toHaveLength(0);
    await fake.webhooks.waitFor('customer.subscription.deleted');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('keeps platform and Connect endpoints apart, and honours enabled_events', async () => {
    const platform = await receiver();
    const connect = await receiver();
    fake.webhooks.addEndpoint(platform.url, { enabledEvents: ['account.updated', 'invoice.paid'] });
    fake.webhooks.addEndpoint(connect.url, { scope: 'connect' });
    const account = await fake.stripe.accounts.create({ type: 'standard' });
    fake.onboard(account.id);
    await subscriptionStory();
    await fake.webhooks.idle();
    expect(types(platform)).toEqual(['invoice.paid']);
    expect(types(connect)).toEqual(['account.updated']);
  });

  it('registers endpoints through POST /v1/webhook_endpoints, as with real Stripe', async () => {
    const r = await receiver();
    const endpoint = await fake.stripe.webhookEndpoints.create({ url: r.url, enabled_events: ['customer.subscription.deleted'] });
    expect(endpoint).toMatchObject({ object: 'webhook_endpoint', url: r.url, status: 'enabled', enabled_events: ['customer.subscription.deleted'] });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const sub = await subscriptionStory();
    const [delivery] = await fake.webhooks.waitFor('customer.subscription.deleted');
    const event = fake.stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret!);
    expect((event.data.object as Stripe.Subscription).id).toBe(sub.id);
    // Events can be read back through the API.
    const again = await fake.stripe.events.retrieve(event.id);
    expect(again.type).toBe('customer.subscription.deleted');
    const listed = await fake.stripe.events.list({ type: 'customer.subscription.*' });
    expect(listed.data.map((e) => e.type)).toEqual(['customer.subscription.deleted', 'customer.subscription.updated', 'customer.subscription.created']);
  });
});

describe('a handler written the recommended way', () => {
  it('ends in the right state whatever the order and however many duplicates', async () => {
    // Verify on the raw body, skip seen event ids, re-read the subscription from the API.
    const seen = new Set<string>();
    const state = new Map<string, string>();
    let secret = '';
    let processed = 0;
    const r = await receiver(() => 200);
    secret = fake.webhooks.addEndpoint(r.url, { enabledEvents: ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted'] });
    fake.webhooks.pause();
    const sub = await subscriptionStory();
    const held = fake.webhooks.pending();
    await fake.webhooks.flush('reverse');
    await fake.webhooks.resend(held[0].id as string);
    for (const got of r.received) {
      const event = fake.stripe.webhooks.constructEvent(got.body, got.signature!, secret);
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      processed++;
      const id = (event.data.object as Stripe.Subscription).id;
      const truth = await fake.stripe.subscriptions.retrieve(id);
      state.set(id, truth.status);
    }
    expect(r.received).toHaveLength(4);
    expect(processed).toBe(3);
    expect(state.get(sub.id)).toBe('canceled');
    // The first event delivered was the newest; its snapshot alone would have said "canceled",
    // the last one delivered ("created") would have said "active": only re-reading is safe.
    expect(JSON.parse(r.received[2].body).data.object.status).toBe('active');
  });
});

describe('HTTP control endpoints (fake run as a process)', () => {
  it('registers an endpoint, completes a session and lists deliveries over HTTP', async () => {
    const r = await receiver();
    const post = async (path: string, body: Record<string, string>) => {
      const res = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const endpoint = await post('/_fake/webhooks/endpoints', { url: r.url });
    expect(endpoint.json.secret).toMatch(/^whsec_/);
    const price = await fake.stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Pack' } });
    const session = await fake.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }] });
    const done = await post(`/_fake/checkout/sessions/${session.id}/complete`, { succeed: 'true' });
    expect(done.json).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect(done.json).not.toHaveProperty('_items');
    await fake.webhooks.waitFor('checkout.session.completed');
    const res = await fetch(`${fake.url}/_fake/webhooks/deliveries`);
    const list = (await res.json()) as { data: Array<{ type: string; ok: boolean }> };
    expect(list.data.map((d) => d.type)).toEqual(['payment_intent.succeeded', 'checkout.session.completed']);
    const again = await post(`/_fake/checkout/sessions/${session.id}/complete`, {});
    expect(again.status).toBe(400);
  });
});
