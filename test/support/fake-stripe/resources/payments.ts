// PaymentIntents, Charges and Refunds. Payments are made by the fake itself (Checkout completion,
// subscription invoices); the API lets callers read them back and refund them.
import type { Ctx, Fake } from '../fake.ts';
import { invalidRequest, noSuch } from '../errors.ts';
import type { Route } from '../router.ts';
import { int, metadata, oneOf, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { randomId } from '../store.ts';
import { find, respond, respondList } from './common.ts';

/** Stripe's test payment methods that decline (`pm_card_chargeDeclined`, `pm_card_visa_chargeDeclined`, …). */
export function declines(paymentMethod: string | null | undefined): boolean {
  return !!paymentMethod && /declined|fail/i.test(paymentMethod);
}

export type PaymentInput = {
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethod: string;
  metadata?: Record<string, string>;
  description?: string | null;
  applicationFeeAmount?: number | null;
  transferDestination?: string | null;
  succeed?: boolean;
};

function formatAmount(amount: number, currency: string): string {
  return currency === 'usd' ? `$${(amount / 100).toFixed(2)}` : `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

/** Creates a confirmed PaymentIntent (and its Charge when the card is accepted). Emits no event. */
export function makePayment(fake: Fake, account: string | null, input: PaymentInput): StripeObject {
  const now = fake.now();
  const succeed = input.succeed ?? !declines(input.paymentMethod);
  const piId = randomId('pi', 24);
  const chargeId = randomId('ch', 24);
  const pm = input.paymentMethod.startsWith('pm_card_') ? randomId('pm', 24) : input.paymentMethod;
  const charge: StripeObject = {
    id: chargeId,
    object: 'charge',
    amount: input.amount,
    amount_captured: succeed ? input.amount : 0,
    amount_refunded: 0,
    application_fee: input.applicationFeeAmount ? randomId('fee', 24) : null,
    application_fee_amount: input.applicationFeeAmount ?? null,
    balance_transaction: succeed ? randomId('txn', 24) : null,
    billing_details: { address: null, email: null, name: null, phone: null },
    captured: succeed,
    created: now,
    currency: input.currency,
    customer: input.customer,
    description: input.description ?? null,
    failure_code: succeed ? null : 'card_declined',
    failure_message: succeed ? null : 'Your card was declined.',
    livemode: false,
    metadata: input.metadata ?? {},
    outcome: succeed
      ? { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' }
      : { network_status: 'declined_by_network', reason: 'generic_decline', risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' },
    paid: succeed,
    payment_intent: piId,
    payment_method: pm,
    refunded: false,
    status: succeed ? 'succeeded' : 'failed',
    transfer_data: input.transferDestination ? { amount: null, destination: input.transferDestination } : null,
  };
  fake.store.put(account, charge);
  const pi: StripeObject = {
    id: piId,
    object: 'payment_intent',
    amount: input.amount,
    amount_capturable: 0,
    amount_received: succeed ? input.amount : 0,
    application_fee_amount: input.applicationFeeAmount ?? null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: `${piId}_secret_${randomId('x', 25).slice(2)}`,
    confirmation_method: 'automatic',
    created: now,
    currency: input.currency,
    customer: input.customer,
    description: input.description ?? null,
    last_payment_error: succeed
      ? null
      : { charge: chargeId, code: 'card_declined', decline_code: 'generic_decline', doc_url: 'https://stripe.com/docs/error-codes/card-declined', message: 'Your card was declined.', type: 'card_error' },
    latest_charge: chargeId,
    livemode: false,
    metadata: input.metadata ?? {},
    on_behalf_of: null,
    payment_method: succeed ? pm : null,
    payment_method_types: ['card'],
    status: succeed ? 'succeeded' : 'requires_payment_method',
    transfer_data: input.transferDestination ? { destination: input.transferDestination } : null,
  };
  return fake.store.put(account, pi);
}

export const paymentRoutes: Route[] = [
  { method: 'GET', path: '/v1/payment_intents/:id', handler: (ctx) => respond(ctx, find(ctx, 'payment_intent', 'payment_intent', ctx.path.id)) },
  {
    method: 'GET',
    path: '/v1/payment_intents',
    handler: (ctx) => {
      const customer = str(ctx.params, 'customer');
      return respondList(ctx, ctx.fake.store.all(ctx.account, 'payment_intent').filter((p) => !customer || p.customer === customer), '/v1/payment_intents');
    },
  },
  { method: 'GET', path: '/v1/charges/:id', handler: (ctx) => respond(ctx, find(ctx, 'charge', 'charge', ctx.path.id)) },
  {
    method: 'GET',
    path: '/v1/charges',
    handler: (ctx) => {
      const pi = str(ctx.params, 'payment_intent');
      const customer = str(ctx.params, 'customer');
      return respondList(ctx, ctx.fake.store.all(ctx.account, 'charge').filter((c) => (!pi || c.payment_intent === pi) && (!customer || c.customer === customer)), '/v1/charges');
    },
  },
  {
    method: 'POST',
    path: '/v1/refunds',
    handler: (ctx: Ctx) => {
      rejectUnknown(ctx.params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'refund_application_fee', 'reverse_transfer', 'instructions_email']);
      const piId = str(ctx.params, 'payment_intent');
      let chargeId = str(ctx.params, 'charge');
      if (piId && chargeId) throw invalidRequest('You may only specify one of these parameters: charge, payment_intent.', { code: 'parameters_exclusive', param: 'charge' });
      if (!piId && !chargeId) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing' });
      if (piId) {
        const pi = find(ctx, 'payment_intent', 'payment_intent', piId, 'payment_intent');
        if (pi.status !== 'succeeded') throw invalidRequest(`This PaymentIntent (${piId}) does not have a successful charge to refund.`, { param: 'payment_intent' });
        chargeId = pi.latest_charge as string;
      }
      const charge = find(ctx, 'charge', 'charge', chargeId as string, 'charge');
      const remaining = (charge.amount as number) - (charge.amount_refunded as number);
      if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
      const amount = int(ctx.params, 'amount', { min: 1 }) ?? remaining;
      if (amount > remaining) {
        throw invalidRequest(`Refund amount (${formatAmount(amount, charge.currency as string)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency as string)})`, { code: 'amount_too_large', param: 'amount' });
      }
      const refund: StripeObject = {
        id: randomId('re', 24),
        object: 'refund',
        amount,
        balance_transaction: randomId('txn', 24),
        charge: charge.id,
        created: ctx.fake.now(),
        currency: charge.currency,
        destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
        metadata: metadata(ctx.params),
        payment_intent: charge.payment_intent,
        reason: oneOf(ctx.params, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer']) ?? null,
        receipt_number: null,
        source_transfer_reversal: null,
        status: 'succeeded',
        transfer_reversal: null,
      };
      ctx.fake.store.put(ctx.account, refund);
      const request = { id: ctx.requestId, idempotency_key: ctx.idempotencyKey };
      ctx.fake.emit(ctx.account, 'refund.created', refund, undefined, request);
      ctx.fake.update(ctx.account, charge, (c) => {
        c.amount_refunded = (c.amount_refunded as number) + amount;
        c.refunded = c.amount_refunded === c.amount;
      }, 'charge.refunded', ctx);
      return respond(ctx, refund);
    },
  },
  {
    method: 'GET',
    path: '/v1/refunds/:id',
    handler: (ctx) => {
      const refund = ctx.fake.store.get(ctx.account, ctx.path.id, 'refund');
      if (!refund) throw noSuch('refund', ctx.path.id);
      return respond(ctx, refund);
    },
  },
  {
    method: 'GET',
    path: '/v1/refunds',
    handler: (ctx) => {
      const pi = str(ctx.params, 'payment_intent');
      const charge = str(ctx.params, 'charge');
      return respondList(ctx, ctx.fake.store.all(ctx.account, 'refund').filter((r) => (!pi || r.payment_intent === pi) && (!charge || r.charge === charge)), '/v1/refunds');
    },
  },
];
