// Invoices produced by subscriptions: licensed items billed in advance, metered items (prices with a
// Billing Meter) in arrears from the period's meter events, one-time Checkout items once. Read-only API.
import type { Fake } from '../fake.ts';
import type { Route } from '../router.ts';
import { str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { clone, randomId } from '../store.ts';
import { meterUsage } from './billing.ts';
import { find, respond, respondList } from './common.ts';
import type { ItemInput } from './items.ts';
import { isMetered, subscriptionItems } from './items.ts';
import { makePayment } from './payments.ts';

export type Request = { id: string | null; idempotency_key: string | null } | undefined;

/** An invoice for the subscription: licensed items for [start, end), metered usage for [usageStart, start). */
export function makeInvoice(fake: Fake, account: string | null, sub: StripeObject, reason: string, start: number, end: number, usageStart: number | null, trial: boolean, oneTime: ItemInput[] = []): StripeObject {
  const id = randomId('in', 24);
  const now = fake.now();
  const customer = fake.store.get(account, sub.customer as string);
  const lines: StripeObject[] = [];
  // One-time prices bought with the subscription (Checkout) are billed once, on the first invoice.
  for (const extra of oneTime) {
    const product = fake.store.get(account, extra.price.product as string);
    const amount = Math.round((extra.price.unit_amount as number) * (extra.quantity as number));
    lines.push({
      id: randomId('il', 24), object: 'line_item', amount, currency: extra.price.currency,
      description: `${extra.quantity} × ${product?.name ?? extra.price.product}`, discountable: true, invoice: id, livemode: false, metadata: {},
      parent: { invoice_item_details: { invoice_item: randomId('ii', 24), proration: false, subscription: sub.id }, type: 'invoice_item_details' },
      period: { end: start, start }, pricing: { price_details: { price: extra.price.id, product: extra.price.product }, type: 'price_details', unit_amount_decimal: String(extra.price.unit_amount) },
      quantity: extra.quantity,
    });
  }
  for (const item of subscriptionItems(sub)) {
    const price = item.price as StripeObject;
    let quantity: number;
    let periodStart = start;
    let periodEnd = end;
    if (isMetered(price)) {
      if (usageStart === null) continue;
      const meter = fake.store.get(account, (price.recurring as { meter: string }).meter);
      quantity = meter ? meterUsage(fake, account, meter, sub.customer as string, usageStart, start) : 0;
      periodStart = usageStart;
      periodEnd = start;
    } else {
      quantity = item.quantity as number;
    }
    const amount = trial ? 0 : Math.round((price.unit_amount as number) * quantity);
    const product = fake.store.get(account, price.product as string);
    lines.push({
      id: randomId('il', 24),
      object: 'line_item',
      amount,
      currency: price.currency,
      description: `${trial ? 'Trial period for ' : ''}${quantity} × ${product?.name ?? price.product}`,
      discountable: true,
      invoice: id,
      livemode: false,
      metadata: {},
      parent: { subscription_item_details: { proration: false, subscription: sub.id, subscription_item: item.id }, type: 'subscription_item_details' },
      period: { end: periodEnd, start: periodStart },
      pricing: { price_details: { price: price.id, product: price.product }, type: 'price_details', unit_amount_decimal: String(price.unit_amount) },
      quantity,
    });
  }
  const total = lines.reduce((a, l) => a + (l.amount as number), 0);
  const invoice: StripeObject = {
    id,
    object: 'invoice',
    account_country: 'US',
    amount_due: total,
    amount_paid: 0,
    amount_remaining: total,
    application_fee_amount: sub.application_fee_percent ? Math.round((total * (sub.application_fee_percent as number)) / 100) : null,
    attempt_count: 0,
    attempted: false,
    automatic_tax: { enabled: false, status: null },
    billing_reason: reason,
    collection_method: 'charge_automatically',
    created: now,
    currency: sub.currency,
    customer: sub.customer,
    customer_email: customer?.email ?? null,
    hosted_invoice_url: `https://invoice.stripe.com/i/test_${id.slice(3)}`,
    lines: { object: 'list', data: lines, has_more: false, total_count: lines.length, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    number: `${customer?.invoice_prefix ?? 'FAKE'}-${String(customer ? (customer.next_invoice_sequence as number) : 1).padStart(4, '0')}`,
    parent: { quote_details: null, subscription_details: { metadata: clone(sub.metadata), subscription: sub.id }, type: 'subscription_details' },
    period_end: start,
    period_start: usageStart ?? start,
    status: 'open',
    status_transitions: { finalized_at: now, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    total,
  };
  if (customer) customer.next_invoice_sequence = (customer.next_invoice_sequence as number) + 1;
  return fake.store.put(account, invoice);
}

/** Tries to pay an invoice with the subscription's/customer's default payment method; emits invoice.paid or invoice.payment_failed. */
export function collectInvoice(fake: Fake, account: string | null, sub: StripeObject, invoice: StripeObject, force?: boolean): boolean {
  const customer = fake.store.get(account, sub.customer as string);
  const pm = (sub.default_payment_method as string | null) ?? ((customer?.invoice_settings as { default_payment_method: string | null } | undefined)?.default_payment_method ?? null);
  let ok: boolean;
  if (invoice.amount_due === 0) {
    ok = true;
  } else if (!pm) {
    ok = false;
  } else {
    const pi = makePayment(fake, account, {
      amount: invoice.amount_due as number,
      currency: invoice.currency as string,
      customer: sub.customer as string,
      paymentMethod: pm,
      applicationFeeAmount: invoice.application_fee_amount as number | null,
      description: `Subscription ${reasonLabel(invoice.billing_reason as string)}`,
      succeed: force,
    });
    ok = pi.status === 'succeeded';
    invoice.payments = { object: 'list', data: [{ id: randomId('inpay', 24), object: 'invoice_payment', amount_paid: ok ? invoice.amount_due : null, amount_requested: invoice.amount_due, invoice: invoice.id, is_default: true, payment: { payment_intent: pi.id, type: 'payment_intent' }, status: ok ? 'paid' : 'open' }], has_more: false, url: `/v1/invoice_payments?invoice=${invoice.id}` };
  }
  invoice.attempted = invoice.amount_due !== 0 || ok;
  invoice.attempt_count = (invoice.attempt_count as number) + (invoice.amount_due === 0 ? 0 : 1);
  if (ok) {
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    (invoice.status_transitions as Record<string, unknown>).paid_at = fake.now();
  }
  return ok;
}

export function emitInvoiceOutcome(fake: Fake, account: string | null, invoice: StripeObject, ok: boolean, request: Request): void {
  fake.emit(account, ok ? 'invoice.paid' : 'invoice.payment_failed', invoice, undefined, request);
}

function reasonLabel(reason: string): string {
  return reason === 'subscription_create' ? 'creation' : reason === 'subscription_cycle' ? 'update' : reason;
}

export const invoiceRoutes: Route[] = [
  { method: 'GET', path: '/v1/invoices/:id', handler: (ctx) => respond(ctx, find(ctx, 'invoice', 'invoice', ctx.path.id)) },
  {
    method: 'GET',
    path: '/v1/invoices',
    handler: (ctx) => {
      const customer = str(ctx.params, 'customer');
      const subscription = str(ctx.params, 'subscription');
      const status = str(ctx.params, 'status');
      const all = ctx.fake.store.all(ctx.account, 'invoice').filter((inv) =>
        (!customer || inv.customer === customer) &&
        (!subscription || (inv.parent as { subscription_details: { subscription: string } }).subscription_details.subscription === subscription) &&
        (!status || inv.status === status));
      return respondList(ctx, all, '/v1/invoices');
    },
  },
];
