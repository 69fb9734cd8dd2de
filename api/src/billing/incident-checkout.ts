import { withTenant } from '@parley/db';
import type { AgentViewer, CustomerViewer } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import type { Services } from '../services.ts';
import { BillingDisabledError } from './billing-errors.ts';
import { lockIncidentAccount } from './incident-ledger.ts';
import { billingSettingsOf } from './support-plans.ts';
import { stripeClient } from './stripe-client.ts';
import { grantPaidPackSession, onPackInvoicePaid } from './stripe-webhook.ts';
import { tenantSlugOf, tenantWebUrl } from '../tenants/web-links.ts';

/**
 * Tenant → customer payments through Stripe Connect: every tenant connects its own account;
 * customers buy incident packs through Checkout on that account (direct charges), the
 * provider keeping STRIPE_APPLICATION_FEE_PERCENT as an application fee.
 */

/** Creates the tenant's Express account on first use and returns an onboarding link. */
export async function connectStripeAccount(services: Services, viewer: AgentViewer) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators connect a Stripe account');
  const stripe = stripeClient(services.config);
  const tenantId = viewer.tenantId;
  let accountId = (await withTenant(services.db, tenantId, (tx) => billingSettingsOf(tx, tenantId))).stripeAccountId;
  if (!accountId) {
    const account = await stripe.accounts.create({ type: 'express', metadata: { tenantId } }, { idempotencyKey: `connect-account:${tenantId}` });
    accountId = account.id;
    await withTenant(services.db, tenantId, (tx) => tx.billingSettings.upsert({
      where: { tenantId }, create: { tenantId, stripeAccountId: accountId }, update: { stripeAccountId: accountId },
    }));
  }
  const base = tenantWebUrl(services.config, await tenantSlugOf(services.db, tenantId), '');
  const link = await stripe.accountLinks.create({
    account: accountId, type: 'account_onboarding', refresh_url: `${base}/admin/billing?stripe=refresh`, return_url: `${base}/admin/billing?stripe=done`,
  });
  return { accountId, url: link.url };
}

/**
 * Starts a Checkout Session for an incident pack on the tenant's connected account. The
 * incidents are granted by the webhook (checkout.session.completed), never by this call.
 */
export async function buyIncidentPack(services: Services, viewer: CustomerViewer, packId: string) {
  const { tenantId, customerUserId } = viewer;
  const { pack, settings, customer, tenant } = await withTenant(services.db, tenantId, async (tx) => {
    const [pack, settings, customer, tenant] = await Promise.all([
      tx.incidentPack.findFirst({ where: { id: packId, active: true } }),
      billingSettingsOf(tx, tenantId),
      tx.customerUser.findFirstOrThrow({ where: { id: customerUserId }, select: { email: true } }),
      tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { slug: true } }),
    ]);
    await lockIncidentAccount(tx, tenantId, customerUserId);
    return { pack, settings, customer, tenant };
  });
  if (!pack) throw new NotFoundError('Incident pack');
  const stripe = stripeClient(services.config);
  if (!settings.stripeAccountId) throw new BillingDisabledError('This help desk does not take online payments yet');
  if (!settings.stripeChargesEnabled) {
    // The webhook may not have arrived yet: ask Stripe.
    const account = await stripe.accounts.retrieve(settings.stripeAccountId);
    if (!account.charges_enabled) throw new BillingDisabledError('This help desk has not finished setting up online payments');
    await withTenant(services.db, tenantId, (tx) => tx.billingSettings.update({ where: { tenantId }, data: { stripeChargesEnabled: true } }));
  }
  const fee = Math.round(pack.priceCents * services.config.STRIPE_APPLICATION_FEE_PERCENT / 100);
  const metadata = { kind: 'incident_pack', tenantId, customerUserId, packId: pack.id };
  const base = tenantWebUrl(services.config, tenant.slug, '');
  const urls = {
    success_url: `${base}/portal/incidents/checkout/done?session={CHECKOUT_SESSION_ID}`,
    cancel_url: `${base}/portal/incidents/checkout/cancelled`,
  };
  if (pack.kind === 'PERIOD') {
    // A period pack renews: a subscription every periodDays; each paid invoice grants a fresh
    // lot that expires at the end of its period (invoice.paid in stripe-webhook.ts).
    const percent = services.config.STRIPE_APPLICATION_FEE_PERCENT;
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ quantity: 1, price_data: { currency: pack.currency, unit_amount: pack.priceCents, product_data: { name: pack.name }, recurring: { interval: 'day', interval_count: pack.periodDays ?? 30 } } }],
      customer_email: customer.email, client_reference_id: customerUserId, metadata,
      subscription_data: { metadata, ...(percent > 0 ? { application_fee_percent: percent } : {}) },
      ...urls,
    }, { stripeAccount: settings.stripeAccountId });
    return { id: session.id, url: session.url! };
  }
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ quantity: 1, price_data: { currency: pack.currency, unit_amount: pack.priceCents, product_data: { name: pack.name } } }],
    customer_email: customer.email,
    client_reference_id: customerUserId,
    metadata,
    payment_intent_data: { metadata, ...(fee > 0 ? { application_fee_amount: fee } : {}) },
    ...urls,
  }, { stripeAccount: settings.stripeAccountId });
  return { id: session.id, url: session.url! };
}

export interface IncidentCheckoutStatus {
  sessionId: string;
  /** Stripe's session status: open, complete, expired */
  status: string;
  paid: boolean;
  /** The pack's incidents are in the customer's ledger */
  granted: boolean;
  packName: string | null;
  incidents: number | null;
}

/**
 * The portal's Checkout return page: re-reads the customer's own pack Checkout Session from
 * Stripe (never trusting the return URL) and, when it is paid, applies it exactly as the webhook
 * would (idempotent), so the page tells the truth even before the webhook arrives.
 */
export async function confirmIncidentCheckout(services: Services, viewer: CustomerViewer, sessionId: string): Promise<IncidentCheckoutStatus> {
  const { tenantId, customerUserId } = viewer;
  if (!/^cs_[A-Za-z0-9_]{1,200}$/.test(sessionId)) throw new NotFoundError('Checkout session');
  const settings = await withTenant(services.db, tenantId, (tx) => billingSettingsOf(tx, tenantId));
  if (!settings.stripeAccountId) throw new BillingDisabledError('This help desk does not take online payments yet');
  const account = settings.stripeAccountId;
  const stripe = stripeClient(services.config);
  const session = await stripe.checkout.sessions.retrieve(sessionId, {}, { stripeAccount: account }).catch((err: unknown) => {
    if ((err as { statusCode?: number }).statusCode === 404) throw new NotFoundError('Checkout session');
    throw err;
  });
  const meta = session.metadata ?? {};
  // Another customer's (or tenant's) session is not found, whoever guessed its id.
  if (meta.kind !== 'incident_pack' || meta.tenantId !== tenantId || meta.customerUserId !== customerUserId) throw new NotFoundError('Checkout session');
  let ref: string | null = null;
  if (session.mode === 'payment') {
    await grantPaidPackSession(services, account, session.id);
    ref = `checkout:${session.id}`;
  } else if (typeof session.subscription === 'string') {
    const sub = await stripe.subscriptions.retrieve(session.subscription, {}, { stripeAccount: account });
    const invoiceId = typeof sub.latest_invoice === 'string' ? sub.latest_invoice : sub.latest_invoice?.id;
    if (invoiceId) {
      await onPackInvoicePaid(services, account, invoiceId);
      ref = `invoice:${invoiceId}`;
    }
  }
  const { pack, granted } = await withTenant(services.db, tenantId, async (tx) => ({
    pack: await tx.incidentPack.findFirst({ where: { id: meta.packId }, select: { name: true, incidents: true } }),
    granted: ref ? !!(await tx.incidentLedgerEntry.findFirst({ where: { externalRef: ref, customerUserId }, select: { id: true } })) : false,
  }));
  return {
    sessionId: session.id, status: session.status ?? 'open', paid: session.payment_status === 'paid', granted,
    packName: pack?.name ?? null, incidents: pack?.incidents ?? null,
  };
}
