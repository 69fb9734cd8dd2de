import type Stripe from 'stripe';
import { withTenant, type TenantTx } from '@parley/db';
import type { AgentViewer } from '../auth/viewer.ts';
import { ForbiddenError, ValidationError } from '../errors/app-error.ts';
import type { Services } from '../services.ts';
import type { ApiConfig } from '../config.ts';
import { BillingDisabledError, PlanLimitError } from './billing-errors.ts';
import { stripeClient } from './stripe-client.ts';
import { tenantSlugOf, tenantWebUrl } from '../tenants/web-links.ts';

/**
 * Provider → tenant: platform plans billed with Stripe Billing on the provider's own account.
 *
 * Over-limit behaviour (deliberately soft, so no customer mail is ever lost): tickets keep being
 * created from every channel whatever the monthly count; `planUsage` reports each limit and
 * whether it is exceeded, for the admin console to warn and offer an upgrade. Only adding (or
 * reactivating) agents beyond the plan is refused (`assertAgentSeat`, PlanLimitError), and only
 * where the installation sells plans (STRIPE_PLAN_PRICES set): a self-hosted install without
 * platform billing has no agent limit.
 */
export const PLAN_LIMITS = {
  free: { agents: 3, ticketsPerMonth: 300, storageMb: 1_000 },
  team: { agents: 20, ticketsPerMonth: 5_000, storageMb: 50_000 },
  business: { agents: 500, ticketsPerMonth: 200_000, storageMb: 1_000_000 },
} as const;
export type PlanName = keyof typeof PLAN_LIMITS;
export const PLAN_NAMES = Object.keys(PLAN_LIMITS) as PlanName[];

export interface PlanLimits { agents: number; ticketsPerMonth: number; storageMb: number }
type LimitOverride = { agents: number | null; ticketsPerMonth: number | null; storageMb: number | null } | null;

/** A plan's limits, with the provider's per-tenant overrides (TenantLimitOverride) taking precedence. */
export function limitsOf(plan: string, override: LimitOverride = null): PlanLimits {
  const base = PLAN_LIMITS[(plan in PLAN_LIMITS ? plan : 'free') as PlanName];
  return {
    agents: override?.agents ?? base.agents,
    ticketsPerMonth: override?.ticketsPerMonth ?? base.ticketsPerMonth,
    storageMb: override?.storageMb ?? base.storageMb,
  };
}

/** Whether platform plan limits apply on this installation: it sells plans (STRIPE_PLAN_PRICES). */
export const planLimitsApply = (config: Pick<ApiConfig, 'STRIPE_PLAN_PRICES'>) => !!config.STRIPE_PLAN_PRICES?.trim();

/**
 * In the caller's transaction, before it adds an active agent: refuses with PlanLimitError when
 * the tenant's plan has no seat left (active users, admins included, as `planUsage` counts).
 * Serialised per tenant by an advisory lock, so two concurrent additions cannot both take the
 * last seat.
 */
export async function assertAgentSeat(tx: TenantTx, tenantId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agent-seats:' || ${tenantId}))`;
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true } });
  const override = await tx.tenantLimitOverride.findUnique({ where: { tenantId } });
  const limit = limitsOf(tenant.plan, override).agents;
  if ((await tx.user.count({ where: { active: true } })) >= limit) throw new PlanLimitError(tenant.plan, 'agents', limit);
}

function planPrices(services: Services): Record<string, string> {
  try {
    return services.config.STRIPE_PLAN_PRICES ? JSON.parse(services.config.STRIPE_PLAN_PRICES) : {};
  } catch {
    return {};
  }
}

export async function planUsage(services: Services, tenantId: string, now = new Date()) {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const tenant = await services.systemDb.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { plan: true } });
  const subscription = await services.systemDb.tenantSubscription.findUnique({ where: { tenantId } });
  const override = await services.systemDb.tenantLimitOverride.findUnique({ where: { tenantId } });
  const usage = await withTenant(services.db, tenantId, async (tx) => {
    const [agents, tickets, storage] = await Promise.all([
      tx.user.count({ where: { active: true } }),
      tx.ticket.count({ where: { createdAt: { gte: monthStart } } }),
      tx.attachment.aggregate({ _sum: { size: true } }),
    ]);
    return { agents, ticketsThisMonth: tickets, storageMb: Math.ceil((storage._sum.size ?? 0) / 1_048_576) };
  });
  const limits = limitsOf(tenant.plan, override);
  return {
    plan: tenant.plan, status: subscription?.status ?? null, currentPeriodEnd: subscription?.currentPeriodEnd ?? null,
    limits, usage,
    overLimit: {
      agents: usage.agents > limits.agents,
      ticketsPerMonth: usage.ticketsThisMonth > limits.ticketsPerMonth,
      storage: usage.storageMb > limits.storageMb,
    },
    canAddAgent: usage.agents < limits.agents,
  };
}

/** Subscription-mode Checkout for a paid plan on the provider's account. */
export async function startPlanCheckout(services: Services, viewer: AgentViewer, plan: string) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators change the plan');
  const stripe = stripeClient(services.config);
  const price = planPrices(services)[plan];
  if (!PLAN_NAMES.includes(plan as PlanName) || plan === 'free') throw new ValidationError(`Unknown paid plan "${plan}"`, 'plan');
  if (!price) throw new BillingDisabledError(`No Stripe price is configured for the plan "${plan}" (STRIPE_PLAN_PRICES)`);
  const tenantId = viewer.tenantId;
  const customerId = await platformCustomer(services, tenantId);
  const metadata = { kind: 'tenant_plan', tenantId, plan };
  const base = tenantWebUrl(services.config, await tenantSlugOf(services.db, tenantId), '');
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription', customer: customerId, client_reference_id: tenantId, metadata,
    line_items: [{ price, quantity: 1 }], subscription_data: { metadata },
    success_url: `${base}/admin/plan?checkout=done`, cancel_url: `${base}/admin/plan?checkout=cancelled`,
  });
  return { id: session.id, url: session.url! };
}

/** A Stripe customer-portal link where the tenant manages payment methods, invoices, cancellation. */
export async function planPortalLink(services: Services, viewer: AgentViewer) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators manage the subscription');
  const stripe = stripeClient(services.config);
  const customer = await platformCustomer(services, viewer.tenantId);
  const returnUrl = tenantWebUrl(services.config, await tenantSlugOf(services.db, viewer.tenantId), '/admin/plan');
  const portal = await stripe.billingPortal.sessions.create({ customer, return_url: returnUrl });
  return { url: portal.url };
}

async function platformCustomer(services: Services, tenantId: string) {
  const existing = await services.systemDb.tenantSubscription.findUnique({ where: { tenantId } });
  if (existing?.stripeCustomerId) return existing.stripeCustomerId;
  const tenant = await services.systemDb.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, slug: true, plan: true } });
  const customer = await stripeClient(services.config).customers.create(
    { name: tenant.name, metadata: { tenantId, slug: tenant.slug } }, { idempotencyKey: `tenant-customer:${tenantId}` });
  await services.systemDb.tenantSubscription.upsert({
    where: { tenantId }, create: { tenantId, plan: tenant.plan, status: 'none', stripeCustomerId: customer.id }, update: { stripeCustomerId: customer.id },
  });
  return customer.id;
}

const ACTIVE = new Set(['active', 'trialing', 'past_due']);

/**
 * Re-reads a platform subscription from Stripe and applies it: the tenant's plan is the
 * subscription's while it is active (or past due, during dunning), else free. The plan is the
 * one STRIPE_PLAN_PRICES maps the subscription's price to (so a switch in the customer portal
 * counts), else `metadata.plan`.
 */
export async function syncTenantSubscription(services: Services, subscriptionId: string) {
  const stripe = stripeClient(services.config);
  const sub: Stripe.Subscription = await stripe.subscriptions.retrieve(subscriptionId);
  const tenantId = sub.metadata?.tenantId;
  if (!tenantId) return;
  const prices = planPrices(services);
  const priceId = sub.items.data[0]?.price.id;
  // The price is the truth: a plan changed in the customer portal swaps the price but keeps the
  // metadata of the original Checkout. Metadata only when the price is not one of ours.
  const byPrice = priceId ? Object.entries(prices).find(([, p]) => p === priceId)?.[0] : undefined;
  const byMetadata = PLAN_NAMES.includes(sub.metadata.plan as PlanName) ? sub.metadata.plan : undefined;
  const plan = byPrice ?? byMetadata ?? 'free';
  const periodEnd = (sub.items.data[0] as { current_period_end?: number } | undefined)?.current_period_end;
  const effective = ACTIVE.has(sub.status) ? plan : 'free';
  const customer = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
  // A late event about an older, ended subscription must not undo the current one.
  const current = await services.systemDb.tenantSubscription.findUnique({ where: { tenantId } });
  if (current?.stripeSubscriptionId && current.stripeSubscriptionId !== sub.id && !ACTIVE.has(sub.status)) return;
  await services.systemDb.$transaction([
    services.systemDb.tenantSubscription.upsert({
      where: { tenantId },
      create: { tenantId, plan: effective, status: sub.status, stripeCustomerId: customer, stripeSubscriptionId: sub.id, currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : null },
      update: { plan: effective, status: sub.status, stripeCustomerId: customer, stripeSubscriptionId: sub.id, currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : null },
    }),
    services.systemDb.tenant.update({ where: { id: tenantId }, data: { plan: effective } }),
  ]);
}
