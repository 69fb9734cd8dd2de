import type { IncomingMessage, ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { withTenant } from '@parley/db';
import type { Services } from '../services.ts';
import { grantIncidents } from './incident-ledger.ts';
import { stripeClient, stripeEnabled, webhookSecrets } from './stripe-client.ts';
import { syncTenantSubscription } from './tenant-plans.ts';

/**
 * POST /stripe/webhook: Stripe's signed events, for the platform account and connected
 * (tenant) accounts alike. The signature is checked on the raw body; only the types below are
 * acted on; each event id is claimed (StripeEvent) and marked processed, so duplicates do nothing; and every
 * handler re-reads the object from Stripe instead of trusting the payload, so events arriving
 * out of order converge on the same state.
 */
export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'invoice.paid',
  'account.updated',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;
type HandledType = (typeof HANDLED_EVENT_TYPES)[number];
const handled = new Set<string>(HANDLED_EVENT_TYPES);

const MAX_WEBHOOK_BYTES = 512 * 1024;

function readRawBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_WEBHOOK_BYTES) { resolve(null); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>) {
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The node:http handler mounted by app.ts. */
export async function stripeWebhookRoute(services: Services, req: IncomingMessage, res: ServerResponse) {
  try {
    if (!stripeEnabled(services.config) || webhookSecrets(services.config).length === 0) {
      return reply(res, 503, { error: 'Stripe webhooks are not configured (STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET)' });
    }
    const body = await readRawBody(req);
    if (!body) return reply(res, 413, { error: 'payload too large' });
    const signature = req.headers['stripe-signature'];
    if (typeof signature !== 'string') return reply(res, 400, { error: 'missing Stripe-Signature' });
    const event = verify(services, body, signature);
    if (!event) return reply(res, 400, { error: 'invalid signature' });
    const outcome = await handleStripeEvent(services, event);
    return reply(res, 200, { received: true, outcome });
  } catch (err) {
    services.log.error({ err: (err as Error).message }, 'stripe webhook failed');
    return reply(res, 500, { error: 'processing failed; Stripe will retry' });
  }
}

function verify(services: Services, body: Buffer, signature: string): Stripe.Event | null {
  const stripe = stripeClient(services.config);
  for (const secret of webhookSecrets(services.config)) {
    try {
      return stripe.webhooks.constructEvent(body, signature, secret);
    } catch { /* try the next secret */ }
  }
  return null;
}

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored';

/**
 * Claims the event id, runs its handler, and releases the claim if the handler fails (so
 * Stripe's retry runs it again).
 */
export async function handleStripeEvent(services: Services, event: Stripe.Event): Promise<WebhookOutcome> {
  if (!handled.has(event.type)) return 'ignored';
  const sys = services.systemDb;
  await sys.$executeRaw`INSERT INTO "StripeEvent" ("id", "type", "account") VALUES (${event.id}, ${event.type}, ${event.account ?? null}) ON CONFLICT DO NOTHING`;
  // Claim it: a concurrent duplicate sees the claim and stops; a claim left by a crash expires.
  const claimed = await sys.$executeRaw`
    UPDATE "StripeEvent" SET "claimedAt" = now()
    WHERE "id" = ${event.id} AND "processedAt" IS NULL AND ("claimedAt" IS NULL OR "claimedAt" < now() - interval '5 minutes')`;
  if (claimed === 0) return 'duplicate';
  try {
    await dispatch(services, event, event.type as HandledType);
    await sys.$executeRaw`UPDATE "StripeEvent" SET "processedAt" = now() WHERE "id" = ${event.id}`;
    return 'processed';
  } catch (err) {
    await sys.$executeRaw`UPDATE "StripeEvent" SET "claimedAt" = NULL WHERE "id" = ${event.id}`;
    throw err;
  }
}

async function dispatch(services: Services, event: Stripe.Event, type: HandledType) {
  switch (type) {
    case 'checkout.session.completed':
      return onCheckoutCompleted(services, event);
    case 'invoice.paid':
      if (!event.account) return; // platform plan invoices: the subscription events carry the plan
      return onPackInvoicePaid(services, event.account, (event.data.object as Stripe.Invoice).id!);
    case 'account.updated':
      return onAccountUpdated(services, (event.data.object as Stripe.Account).id);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      if (event.account) return; // subscriptions on connected accounts are not ours
      return syncTenantSubscription(services, (event.data.object as Stripe.Subscription).id);
  }
}

/** The tenant that owns a connected account (via the system role: no tenant is known yet). */
async function tenantOfAccount(services: Services, accountId: string) {
  const settings = await services.systemDb.billingSettings.findUnique({ where: { stripeAccountId: accountId }, select: { tenantId: true } });
  return settings?.tenantId ?? null;
}

async function onAccountUpdated(services: Services, accountId: string) {
  const tenantId = await tenantOfAccount(services, accountId);
  if (!tenantId) return;
  const account = await stripeClient(services.config).accounts.retrieve(accountId);
  await withTenant(services.db, tenantId, (tx) => tx.billingSettings.update({ where: { tenantId }, data: { stripeChargesEnabled: account.charges_enabled } }));
}

async function onCheckoutCompleted(services: Services, event: Stripe.Event) {
  const stripe = stripeClient(services.config);
  const sessionId = (event.data.object as Stripe.Checkout.Session).id;
  if (!event.account) {
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    if (session.metadata?.kind === 'tenant_plan' && typeof session.subscription === 'string') await syncTenantSubscription(services, session.subscription);
    return;
  }
  await grantPaidPackSession(services, event.account, sessionId);
}

/**
 * A pack Checkout Session on a connected account, re-read from Stripe: paid (payment mode) →
 * the pack's incidents, once (externalRef `checkout:<id>`). Also called by the portal's success
 * page, so a late webhook does not keep the customer waiting.
 */
export async function grantPaidPackSession(services: Services, account: string, sessionId: string) {
  const session = await stripeClient(services.config).checkout.sessions.retrieve(sessionId, {}, { stripeAccount: account });
  // Subscription-mode (period) packs are granted per paid invoice, not here.
  if (session.mode !== 'payment' || session.payment_status !== 'paid') return session;
  await grantPack(services, account, session.metadata ?? {}, {
    ref: `checkout:${session.id}`, expiresAt: null, amountCents: session.amount_total, currency: session.currency,
  });
  return session;
}

/** A period pack's subscription was paid (first or renewal): a lot until the period's end. */
export async function onPackInvoicePaid(services: Services, account: string, invoiceId: string) {
  const stripe = stripeClient(services.config);
  const invoice = await stripe.invoices.retrieve(invoiceId, {}, { stripeAccount: account });
  if (invoice.status !== 'paid') return;
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  if (!subscriptionId) return;
  const sub = await stripe.subscriptions.retrieve(typeof subscriptionId === 'string' ? subscriptionId : subscriptionId.id, {}, { stripeAccount: account });
  const periodEnd = invoice.lines.data.reduce((end, line) => Math.max(end, line.period?.end ?? 0), 0);
  await grantPack(services, account, sub.metadata ?? {}, {
    ref: `invoice:${invoice.id}`, expiresAt: periodEnd ? new Date(periodEnd * 1000) : null, amountCents: invoice.amount_paid, currency: invoice.currency,
  });
}

async function grantPack(
  services: Services, account: string, meta: Record<string, string>,
  paid: { ref: string; expiresAt: Date | null; amountCents: number | null; currency: string | null },
) {
  if (meta.kind !== 'incident_pack') return;
  // The metadata is ours, but only trust it for the tenant that owns the paying account.
  const tenantId = await tenantOfAccount(services, account);
  if (!tenantId || tenantId !== meta.tenantId) {
    services.log.warn({ ref: paid.ref, account }, 'incident pack paid on an account of another tenant');
    return;
  }
  await withTenant(services.db, tenantId, async (tx) => {
    const pack = await tx.incidentPack.findFirst({ where: { id: meta.packId } });
    const customer = await tx.customerUser.findFirst({ where: { id: meta.customerUserId }, select: { id: true } });
    if (!pack || !customer) throw new Error(`${paid.ref}: pack or customer missing`);
    await grantIncidents(tx, tenantId, customer.id, {
      kind: 'GRANT_PURCHASE', incidents: pack.incidents, packId: pack.id, expiresAt: paid.expiresAt,
      amountCents: paid.amountCents ?? pack.priceCents, currency: paid.currency ?? pack.currency,
      externalRef: paid.ref, reason: pack.name,
    });
  });
}
