import Stripe from 'stripe';
import { withTenant, type Db } from '@parley/db';
import type { Services } from '../services.ts';
import { stripeClient, stripeEnabled } from './stripe-client.ts';

/**
 * Pay-per-request: every PER_REQUEST_CHARGE in the ledger (one per ticket, written in the ticket's
 * transaction by consume-incident.ts) is reported to Stripe as a meter event on the tenant's
 * connected account, by the worker job billing.meter-event.v1, so ticket creation never waits on
 * Stripe. Exactly once: the event's `identifier` is derived from the ticket (`request:<ticketId>`,
 * Stripe refuses a duplicate within 24 hours) and a MeterEventReport row is written once Stripe
 * accepted it (or answered that it has it), which ends every later run early.
 */

export type MeterReportOutcome = 'reported' | 'already_reported' | 'no_charge' | 'billing_disabled' | 'no_connected_account';

export const meterIdentifier = (ticketId: string) => `request:${ticketId}`;

/** Whether a ticket has a per-request charge Stripe has not been told about yet (cheap; for the event fan-out). */
export async function ticketNeedsMeterReport(db: Db, tenantId: string, ticketId: string): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const charge = await tx.incidentLedgerEntry.findFirst({ where: { ticketId, kind: 'PER_REQUEST_CHARGE' }, select: { id: true } });
    if (!charge) return false;
    return !(await tx.meterEventReport.findUnique({ where: { tenantId_ticketId: { tenantId, ticketId } }, select: { ticketId: true } }));
  });
}

const isDuplicateIdentifier = (err: unknown) =>
  err instanceof Stripe.errors.StripeInvalidRequestError && /already exists with identifier/i.test(err.message);

export async function reportRequestMeterEvent(services: Services, tenantId: string, ticketId: string): Promise<MeterReportOutcome> {
  const state = await withTenant(services.db, tenantId, async (tx) => {
    const charge = await tx.incidentLedgerEntry.findFirst({ where: { ticketId, kind: 'PER_REQUEST_CHARGE' } });
    if (!charge) return null;
    const [report, settings, account, customer] = await Promise.all([
      tx.meterEventReport.findUnique({ where: { tenantId_ticketId: { tenantId, ticketId } } }),
      tx.billingSettings.findFirst({ select: { stripeAccountId: true } }),
      tx.incidentAccount.findFirst({ where: { customerUserId: charge.customerUserId }, select: { stripeCustomerId: true } }),
      tx.customerUser.findFirst({ where: { id: charge.customerUserId }, select: { email: true, name: true } }),
    ]);
    return { charge, report, stripeAccountId: settings?.stripeAccountId ?? null, stripeCustomerId: account?.stripeCustomerId ?? null, customer };
  });
  if (!state) return 'no_charge';
  if (state.report) return 'already_reported';
  if (!stripeEnabled(services.config)) return 'billing_disabled';
  if (!state.stripeAccountId) return 'no_connected_account';
  const stripe = stripeClient(services.config);
  const account = state.stripeAccountId;
  const customerUserId = state.charge.customerUserId;
  const eventName = services.config.STRIPE_METER_EVENT_NAME;

  await ensureMeter(stripe, account, eventName);
  const stripeCustomerId = state.stripeCustomerId ?? await connectedCustomer(services, stripe, account, tenantId, customerUserId, state.customer);
  const identifier = meterIdentifier(ticketId);
  try {
    await stripe.billing.meterEvents.create({
      event_name: eventName, identifier,
      timestamp: Math.floor(state.charge.createdAt.getTime() / 1000),
      payload: { stripe_customer_id: stripeCustomerId, value: '1' },
    }, { stripeAccount: account, idempotencyKey: `meter-event:${tenantId}:${ticketId}` });
  } catch (err) {
    // A previous run reached Stripe but died before writing the report: Stripe has the event.
    if (!isDuplicateIdentifier(err)) throw err;
  }
  await withTenant(services.db, tenantId, (tx) => tx.meterEventReport.createMany({
    data: [{ tenantId, ticketId, customerUserId, identifier, eventName, stripeAccountId: account, stripeCustomerId }],
    skipDuplicates: true,
  }));
  return 'reported';
}

/** The meter on the connected account that counts requests (created on first use). */
async function ensureMeter(stripe: Stripe, account: string, eventName: string) {
  const meters = await stripe.billing.meters.list({ status: 'active', limit: 100 }, { stripeAccount: account });
  if (meters.data.some((m) => m.event_name === eventName)) return;
  await stripe.billing.meters.create({
    display_name: 'Support requests', event_name: eventName, default_aggregation: { formula: 'sum' },
    customer_mapping: { type: 'by_id', event_payload_key: 'stripe_customer_id' }, value_settings: { event_payload_key: 'value' },
  }, { stripeAccount: account, idempotencyKey: `meter:${account}:${eventName}` });
}

/** The customer's Stripe customer on the tenant's connected account (created once, kept in IncidentAccount). */
async function connectedCustomer(
  services: Services, stripe: Stripe, account: string, tenantId: string, customerUserId: string,
  customer: { email: string; name: string } | null,
) {
  const created = await stripe.customers.create(
    { email: customer?.email, name: customer?.name || undefined, metadata: { tenantId, customerUserId } },
    { stripeAccount: account, idempotencyKey: `incident-customer:${tenantId}:${customerUserId}` },
  );
  await withTenant(services.db, tenantId, (tx) => tx.incidentAccount.upsert({
    where: { tenantId_customerUserId: { tenantId, customerUserId } },
    create: { tenantId, customerUserId, stripeCustomerId: created.id },
    update: { stripeCustomerId: created.id },
  }));
  return created.id;
}
