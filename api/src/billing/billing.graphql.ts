import type { BillingSettingsModel as BillingSettings, IncidentLedgerEntryModel as IncidentLedgerEntry, IncidentPackModel as IncidentPack, SupportPlanModel as SupportPlan } from '@parley/db';
import { withTenant } from '@parley/db';
import { builder } from '../graphql/builder.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { ErrorInterface, ticketErrors } from '../graphql/error-types.ts';
import { agentContext, useCaseContext } from '../graphql/use-case-context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { TicketType } from '../tickets/ticket.graphql.ts';
import { BillingDisabledError, NoIncidentLeftError, PlanLimitError } from './billing-errors.ts';
import {
  billingSettingsOf, grantIncidentsManually, incidentStatement, markTicketNotBillable, saveIncidentPack, saveSupportPlan,
  setCustomerSupportPlan, setQueueRequiresIncident, updateBillingSettings,
} from './support-plans.ts';
import { buyIncidentPack, confirmIncidentCheckout, connectStripeAccount, type IncidentCheckoutStatus } from './incident-checkout.ts';
import { planPortalLink, planUsage, startPlanCheckout } from './tenant-plans.ts';
import { incidentBalance } from './incident-ledger.ts';
import { planOf, queueRequiresIncident } from './consume-incident.ts';

export const NoIncidentLeftErrorType = builder.objectType(NoIncidentLeftError, {
  name: 'NoIncidentLeftError', description: 'The customer has no incident left for a queue that requires one; buy a pack',
  interfaces: [ErrorInterface as never], isTypeOf: (v) => v instanceof NoIncidentLeftError,
  fields: (t) => ({ queueId: t.exposeID('queueId') }),
});
builder.objectType(PlanLimitError, {
  name: 'PlanLimitError', description: 'The tenant\'s platform plan allows no more of this (e.g. active agents); upgrade the plan',
  interfaces: [ErrorInterface as never], isTypeOf: (v) => v instanceof PlanLimitError,
  fields: (t) => ({ plan: t.exposeString('plan'), resource: t.exposeString('resource'), limit: t.exposeInt('limit') }),
});
builder.objectType(BillingDisabledError, {
  name: 'BillingDisabledError', description: 'Online payments are not configured',
  interfaces: [ErrorInterface as never], isTypeOf: (v) => v instanceof BillingDisabledError, fields: () => ({}),
});

const ConsumeOn = builder.enumType('IncidentConsumeMoment', { values: ['ON_CREATE', 'ON_FIRST_REPLY'] as const });
export const RatingScaleEnum = builder.enumType('RatingScale', { values: ['FIVE_STARS', 'GOOD_BAD'] as const });
const PlanMode = builder.enumType('SupportPlanMode', { values: ['FREE', 'PER_REQUEST', 'PREPAID'] as const });
const PackKind = builder.enumType('IncidentPackKind', { values: ['LIFETIME', 'PERIOD'] as const });
const EntryKind = builder.enumType('IncidentEntryKind', { values: ['GRANT_PURCHASE', 'GRANT_MANUAL', 'GRANT_REGISTRATION', 'CONSUME', 'REFUND', 'EXPIRE', 'PER_REQUEST_CHARGE'] as const });

const BillingSettingsType = builder.objectRef<Pick<BillingSettings, 'consumeOn' | 'ratingScale' | 'badRatingReopens' | 'stripeAccountId' | 'stripeChargesEnabled' | 'currency'>>('BillingSettings').implement({
  fields: (t) => ({
    consumeOn: t.field({ type: ConsumeOn, resolve: (s) => s.consumeOn as 'ON_CREATE' }),
    ratingScale: t.field({ type: RatingScaleEnum, resolve: (s) => s.ratingScale as 'FIVE_STARS' }),
    badRatingReopens: t.exposeBoolean('badRatingReopens'),
    stripeAccountId: t.exposeString('stripeAccountId', { nullable: true }),
    stripeChargesEnabled: t.exposeBoolean('stripeChargesEnabled'),
    currency: t.exposeString('currency'),
  }),
});
const SupportPlanType = builder.objectRef<SupportPlan>('SupportPlan').implement({
  fields: (t) => ({
    id: t.exposeID('id'), name: t.exposeString('name'), mode: t.field({ type: PlanMode, resolve: (p) => p.mode }),
    perRequestCents: t.exposeInt('perRequestCents', { nullable: true }), registrationIncidents: t.exposeInt('registrationIncidents'),
    isDefault: t.exposeBoolean('isDefault'), active: t.exposeBoolean('active'),
  }),
});
const IncidentPackType = builder.objectRef<IncidentPack>('IncidentPack').implement({
  fields: (t) => ({
    id: t.exposeID('id'), name: t.exposeString('name'), incidents: t.exposeInt('incidents'), kind: t.field({ type: PackKind, resolve: (p) => p.kind }),
    periodDays: t.exposeInt('periodDays', { nullable: true }), priceCents: t.exposeInt('priceCents'), currency: t.exposeString('currency'), active: t.exposeBoolean('active'),
  }),
});
const LedgerEntryType = builder.objectRef<IncidentLedgerEntry>('IncidentLedgerEntry').implement({
  fields: (t) => ({
    id: t.exposeID('id'), kind: t.field({ type: EntryKind, resolve: (e) => e.kind }), delta: t.exposeInt('delta'),
    lotId: t.exposeID('lotId'), expiresAt: t.expose('lotExpiresAt', { type: 'DateTime', nullable: true }),
    ticketId: t.exposeID('ticketId', { nullable: true }), packId: t.exposeID('packId', { nullable: true }),
    amountCents: t.exposeInt('amountCents', { nullable: true }), currency: t.exposeString('currency', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }), createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
const StatementType = builder.objectRef<Awaited<ReturnType<typeof incidentStatement>>>('IncidentStatement').implement({
  fields: (t) => ({
    customerId: t.exposeID('customerUserId'),
    customerName: t.exposeString('customerName'), customerEmail: t.exposeString('customerEmail'),
    ownPlanId: t.exposeID('ownPlanId', { nullable: true, description: 'The plan given to this customer (null: the default plan applies)' }),
    balance: t.exposeInt('balance', { description: 'Incidents left (sum of the ledger over lots that have not expired)' }),
    plan: t.field({ type: SupportPlanType, nullable: true, resolve: (s) => s.plan }),
    entries: t.field({ type: [LedgerEntryType], description: 'The ledger, newest first (last 200)', resolve: (s) => s.entries }),
  }),
});
const LinkType = builder.objectRef<{ id?: string; url: string }>('BillingLink').implement({
  fields: (t) => ({ id: t.string({ nullable: true, resolve: (l) => l.id ?? null }), url: t.exposeString('url') }),
});

const tenantOf = (ctx: Parameters<typeof useCaseContext>[0]) => useCaseContext(ctx).viewer.tenantId;
const requireAdminScope = { admin: true } as const;

// --- queries -----------------------------------------------------------------------------------
builder.queryField('billingSettings', (t) => t.field({
  type: BillingSettingsType, authScopes: requireAdminScope,
  resolve: (_r, _a, ctx) => withTenant(ctx.services.db, tenantOf(ctx), (tx) => billingSettingsOf(tx, tenantOf(ctx))),
}));
builder.queryField('supportPlans', (t) => t.field({
  type: [SupportPlanType], authScopes: { agent: true },
  resolve: (_r, _a, ctx) => withTenant(ctx.services.db, tenantOf(ctx), (tx) => tx.supportPlan.findMany({ orderBy: { name: 'asc' } })),
}));
builder.queryField('incidentPacks', (t) => t.field({
  type: [IncidentPackType], authScopes: { tenantMember: true }, description: 'Packs on sale (agents also see inactive ones)',
  resolve: (_r, _a, ctx) => withTenant(ctx.services.db, tenantOf(ctx), (tx) => tx.incidentPack.findMany({
    where: ctx.viewer.kind === 'customer' ? { active: true } : {}, orderBy: { priceCents: 'asc' },
  })),
}));
builder.queryField('incidentQueueIds', (t) => t.idList({
  authScopes: { tenantMember: true }, description: 'Queues (departments) where a new ticket needs an incident',
  resolve: (_r, _a, ctx) => withTenant(ctx.services.db, tenantOf(ctx), async (tx) =>
    (await tx.queueBilling.findMany({ where: { requiresIncident: true }, select: { queueId: true } })).map((q) => q.queueId)),
}));
builder.queryField('myIncidents', (t) => t.field({
  type: StatementType, authScopes: { customer: true }, description: 'My incident balance, plan and history',
  resolve: (_r, _a, ctx) => {
    const v = useCaseContext(ctx).viewer;
    if (v.kind !== 'customer') throw new ForbiddenError();
    return incidentStatement(ctx.services.db, v.tenantId, v.customerUserId);
  },
}));
builder.queryField('customerIncidents', (t) => t.field({
  type: StatementType, authScopes: { agent: true }, nullable: true,
  args: { customerId: t.arg.id({ required: true }) },
  resolve: async (_r, { customerId }, ctx) => {
    const tenantId = tenantOf(ctx);
    const id = fromGlobalOrRawId(String(customerId));
    const exists = await withTenant(ctx.services.db, tenantId, (tx) => tx.customerUser.findFirst({ where: { id }, select: { id: true } }));
    return exists ? incidentStatement(ctx.services.db, tenantId, id) : null;
  },
}));
builder.queryField('customerIncidentsByEmail', (t) => t.field({
  type: StatementType, authScopes: { agent: true }, nullable: true,
  description: 'A customer\'s incidents, found by e-mail address (null: no such customer in this help desk)',
  args: { email: t.arg.string({ required: true }) },
  resolve: async (_r, { email }, ctx) => {
    const tenantId = tenantOf(ctx);
    const customer = await withTenant(ctx.services.db, tenantId, (tx) => tx.customerUser.findFirst({
      where: { email: { equals: email.trim(), mode: 'insensitive' } }, select: { id: true },
    }));
    return customer ? incidentStatement(ctx.services.db, tenantId, customer.id) : null;
  },
}));
builder.queryField('canOpenTicketIn', (t) => t.boolean({
  authScopes: { customer: true }, description: 'false when the queue needs an incident and I have none left (then buy a pack)',
  args: { queueId: t.arg.id({ required: true }) },
  resolve: async (_r, { queueId }, ctx) => {
    const v = useCaseContext(ctx).viewer;
    if (v.kind !== 'customer') return true;
    return withTenant(ctx.services.db, v.tenantId, async (tx) => {
      if (!(await queueRequiresIncident(tx, String(queueId)))) return true;
      const account = await tx.incidentAccount.findFirst({ where: { customerUserId: v.customerUserId }, select: { planId: true } });
      const plan = await planOf(tx, account?.planId ?? null);
      return !plan || plan.mode !== 'PREPAID' || (await incidentBalance(tx, v.tenantId, v.customerUserId)) > 0;
    });
  },
}));

const PlanUsageType = builder.objectRef<Awaited<ReturnType<typeof planUsage>>>('PlanUsage').implement({
  fields: (t) => ({
    plan: t.exposeString('plan'), status: t.exposeString('status', { nullable: true }),
    agents: t.int({ resolve: (u) => u.usage.agents }), agentsLimit: t.int({ resolve: (u) => u.limits.agents }),
    ticketsThisMonth: t.int({ resolve: (u) => u.usage.ticketsThisMonth }), ticketsPerMonthLimit: t.int({ resolve: (u) => u.limits.ticketsPerMonth }),
    storageMb: t.int({ resolve: (u) => u.usage.storageMb }), storageMbLimit: t.int({ resolve: (u) => u.limits.storageMb }),
    overLimit: t.boolean({ resolve: (u) => Object.values(u.overLimit).some(Boolean), description: 'Soft: mail and tickets are never refused; upgrade to stay within the plan' }),
    canAddAgent: t.exposeBoolean('canAddAgent'),
  }),
});
builder.queryField('planUsage', (t) => t.field({
  type: PlanUsageType, authScopes: requireAdminScope,
  resolve: (_r, _a, ctx) => planUsage(ctx.services, tenantOf(ctx)),
}));

// --- mutations ---------------------------------------------------------------------------------
const adminErrors = [ForbiddenError, ValidationError, NotFoundError, ConflictError];

const BillingSettingsInput = builder.inputType('BillingSettingsInput', {
  fields: (t) => ({
    consumeOn: t.field({ type: ConsumeOn }), ratingScale: t.field({ type: RatingScaleEnum }),
    badRatingReopens: t.boolean(), currency: t.string(),
  }),
});
builder.mutationField('updateBillingSettings', (t) => t.field({
  type: BillingSettingsType, authScopes: requireAdminScope, errors: { types: adminErrors, dataField: { name: 'settings' } },
  args: { input: t.arg({ type: BillingSettingsInput, required: true }) },
  resolve: (_r, { input }, ctx) => updateBillingSettings(useCaseContext(ctx), {
    consumeOn: input.consumeOn ?? undefined, ratingScale: input.ratingScale ?? undefined,
    badRatingReopens: input.badRatingReopens ?? undefined, currency: input.currency ?? undefined,
  }),
}));
builder.mutationField('setQueueRequiresIncident', (t) => t.boolean({
  authScopes: requireAdminScope, errors: { types: adminErrors, dataField: { name: 'requiresIncident' } },
  args: { queueId: t.arg.id({ required: true }), requiresIncident: t.arg.boolean({ required: true }) },
  resolve: async (_r, a, ctx) => (await setQueueRequiresIncident(useCaseContext(ctx), fromGlobalOrRawId(String(a.queueId)), a.requiresIncident)).requiresIncident,
}));
const SupportPlanInput = builder.inputType('SupportPlanInput', {
  fields: (t) => ({
    id: t.id(), name: t.string({ required: true }), mode: t.field({ type: PlanMode, required: true }),
    perRequestCents: t.int(), registrationIncidents: t.int(), isDefault: t.boolean(), active: t.boolean(),
  }),
});
builder.mutationField('saveSupportPlan', (t) => t.field({
  type: SupportPlanType, authScopes: requireAdminScope, errors: { types: adminErrors, dataField: { name: 'supportPlan' } },
  args: { input: t.arg({ type: SupportPlanInput, required: true }) },
  resolve: (_r, { input: i }, ctx) => saveSupportPlan(useCaseContext(ctx), {
    id: i.id ? String(i.id) : undefined, name: i.name, mode: i.mode, perRequestCents: i.perRequestCents ?? null,
    registrationIncidents: i.registrationIncidents ?? 0, isDefault: i.isDefault ?? false, active: i.active ?? true,
  }),
}));
const IncidentPackInput = builder.inputType('IncidentPackInput', {
  fields: (t) => ({
    id: t.id(), name: t.string({ required: true }), incidents: t.int({ required: true }), kind: t.field({ type: PackKind }),
    periodDays: t.int(), priceCents: t.int({ required: true }), currency: t.string(), active: t.boolean(),
  }),
});
builder.mutationField('saveIncidentPack', (t) => t.field({
  type: IncidentPackType, authScopes: requireAdminScope, errors: { types: adminErrors, dataField: { name: 'incidentPack' } },
  args: { input: t.arg({ type: IncidentPackInput, required: true }) },
  resolve: (_r, { input: i }, ctx) => saveIncidentPack(useCaseContext(ctx), {
    id: i.id ? String(i.id) : undefined, name: i.name, incidents: i.incidents, kind: i.kind ?? 'LIFETIME', periodDays: i.periodDays ?? null,
    priceCents: i.priceCents, currency: i.currency ?? 'eur', active: i.active ?? true,
  }),
}));
builder.mutationField('setCustomerSupportPlan', (t) => t.boolean({
  authScopes: requireAdminScope, errors: { types: adminErrors, dataField: { name: 'done' } },
  args: { customerId: t.arg.id({ required: true }), planId: t.arg.id() },
  resolve: async (_r, a, ctx) => {
    await setCustomerSupportPlan(useCaseContext(ctx), fromGlobalOrRawId(String(a.customerId)), a.planId ? fromGlobalOrRawId(String(a.planId)) : null);
    return true;
  },
}));
const GrantInput = builder.inputType('GrantIncidentsInput', {
  fields: (t) => ({ customerId: t.id({ required: true }), incidents: t.int({ required: true }), expiresAt: t.field({ type: 'DateTime' }), reason: t.string({ required: true }) }),
});
builder.mutationField('grantIncidents', (t) => t.field({
  type: LedgerEntryType, authScopes: requireAdminScope, errors: { types: adminErrors, dataField: { name: 'ledgerEntry' } },
  description: 'Dedicated incidents granted by hand',
  args: { input: t.arg({ type: GrantInput, required: true }) },
  resolve: (_r, { input: i }, ctx) => grantIncidentsManually(useCaseContext(ctx), {
    customerUserId: fromGlobalOrRawId(String(i.customerId)), incidents: i.incidents, expiresAt: i.expiresAt ?? null, reason: i.reason,
  }),
}));
builder.mutationField('markTicketNotBillable', (t) => t.prismaField({
  type: TicketType, authScopes: { agentWrite: true }, errors: { types: ticketErrors, dataField: { name: 'ticket' } },
  description: 'Refund the incident the ticket consumed',
  args: { ticketId: t.arg.id({ required: true }), reason: t.arg.string() },
  resolve: (_q, _r, a, ctx) => markTicketNotBillable(useCaseContext(ctx), fromGlobalOrRawId(String(a.ticketId)), a.reason) as never,
}));
builder.mutationField('buyIncidentPack', (t) => t.field({
  type: LinkType, authScopes: { customer: true }, errors: { types: [NotFoundError, BillingDisabledError], dataField: { name: 'checkout' } },
  description: 'Starts a Stripe Checkout for a pack; open the returned URL. The incidents arrive when the payment is confirmed.',
  args: { packId: t.arg.id({ required: true }) },
  resolve: (_r, a, ctx) => {
    const v = useCaseContext(ctx).viewer;
    if (v.kind !== 'customer') throw new ForbiddenError();
    return buyIncidentPack(ctx.services, v, fromGlobalOrRawId(String(a.packId)));
  },
}));
const CheckoutStatusType = builder.objectRef<IncidentCheckoutStatus>('IncidentCheckoutStatus').implement({
  fields: (t) => ({
    sessionId: t.exposeString('sessionId'), status: t.exposeString('status', { description: 'open, complete or expired' }),
    paid: t.exposeBoolean('paid'), granted: t.exposeBoolean('granted', { description: 'The incidents are in my balance' }),
    packName: t.exposeString('packName', { nullable: true }), incidents: t.exposeInt('incidents', { nullable: true }),
  }),
});
builder.mutationField('confirmIncidentCheckout', (t) => t.field({
  type: CheckoutStatusType, authScopes: { customer: true }, errors: { types: [NotFoundError, BillingDisabledError], dataField: { name: 'checkout' } },
  description: 'After Checkout: re-reads my pack Checkout Session from Stripe and applies it if paid (idempotent, as the webhook does)',
  args: { sessionId: t.arg.string({ required: true }) },
  resolve: (_r, a, ctx) => {
    const v = useCaseContext(ctx).viewer;
    if (v.kind !== 'customer') throw new ForbiddenError();
    return confirmIncidentCheckout(ctx.services, v, a.sessionId);
  },
}));
builder.mutationField('connectStripeAccount', (t) => t.field({
  type: LinkType, authScopes: requireAdminScope, errors: { types: [ForbiddenError, BillingDisabledError], dataField: { name: 'onboarding' } },
  description: 'Connect (or finish connecting) the help desk\'s own Stripe account, to receive customers\' payments',
  resolve: async (_r, _a, ctx) => {
    const { accountId, url } = await connectStripeAccount(ctx.services, agentContext(ctx).viewer);
    return { id: accountId, url };
  },
}));
builder.mutationField('startPlanCheckout', (t) => t.field({
  type: LinkType, authScopes: requireAdminScope, errors: { types: [ForbiddenError, ValidationError, BillingDisabledError], dataField: { name: 'checkout' } },
  description: 'Subscribe the help desk to a paid platform plan (team, business) through Stripe Checkout',
  args: { plan: t.arg.string({ required: true }) },
  resolve: (_r, a, ctx) => startPlanCheckout(ctx.services, agentContext(ctx).viewer, a.plan),
}));
builder.mutationField('planPortalLink', (t) => t.field({
  type: LinkType, authScopes: requireAdminScope, errors: { types: [ForbiddenError, BillingDisabledError], dataField: { name: 'portal' } },
  description: 'A Stripe customer-portal link for the platform subscription',
  resolve: (_r, _a, ctx) => planPortalLink(ctx.services, agentContext(ctx).viewer),
}));
