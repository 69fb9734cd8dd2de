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
 * acted on; each event id is claimed once (StripeEvent) so duplicates do nothing; and every
 * handler re-reads the object from Stripe instead of trusting the payload, so events arriving
 * out of order converge on the same state.
 */
export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
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
  const claimed = await sys.$executeRaw`UPDATE "StripeEvent" SET "processedAt" = now() WHERE "id" = ${event.id} AND "processedAt" IS NULL`;
  if (claimed === 0) return 'duplicate';
  try {
    await dispatch(services, event, event.type as HandledType);
    return 'processed';
  } catch (err) {
    await sys.$executeRaw`UPDATE "StripeEvent" SET "processedAt" = NULL WHERE "id" = ${event.id}`;
    throw err;
  }
}

async function dispatch(services: Services, event: Stripe.Event, type: HandledType) {
  switch (type) {
    case 'checkout.session.completed':
      return onCheckoutCompleted(services, event);
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
  const session = await stripe.checkout.sessions.retrieve(sessionId, {}, { stripeAccount: event.account });
  const meta = session.metadata ?? {};
  if (meta.kind !== 'incident_pack' || session.payment_status !== 'paid') return;
  // The metadata is ours, but only trust it for the tenant that owns the paying account.
  const tenantId = await tenantOfAccount(services, event.account);
  if (!tenantId || tenantId !== meta.tenantId) {
    services.log.warn({ sessionId, account: event.account }, 'checkout session of an unknown tenant account');
    return;
  }
  await withTenant(services.db, tenantId, async (tx) => {
    const pack = await tx.incidentPack.findFirst({ where: { id: meta.packId } });
    const customer = await tx.customerUser.findFirst({ where: { id: meta.customerUserId }, select: { id: true } });
    if (!pack || !customer) throw new Error(`checkout ${sessionId}: pack or customer missing`);
    const paidAt = new Date(session.created * 1000);
    await grantIncidents(tx, tenantId, customer.id, {
      kind: 'GRANT_PURCHASE', incidents: pack.incidents, packId: pack.id,
      expiresAt: pack.kind === 'PERIOD' && pack.periodDays ? new Date(Math.max(Date.now(), paidAt.getTime()) + pack.periodDays * 86_400_000) : null,
      amountCents: session.amount_total ?? pack.priceCents, currency: session.currency ?? pack.currency,
      externalRef: `checkout:${session.id}`, reason: pack.name,
    });
  });
}
