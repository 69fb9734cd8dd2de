import { Prisma, withTenant, type Db, type TenantTx } from '@parley/db';
import { z } from 'zod';
import type { AgentViewer } from '../auth/viewer.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { loadTicketForUpdate } from '../tickets/load-ticket.ts';
import { requirePermission } from '../tickets/queue-access.ts';
import { recordHistory } from '../tickets/history.ts';
import { clock, type UseCaseContext } from '../tickets/ticket-context.ts';
import { grantIncidents, incidentBalance, refundIncident } from './incident-ledger.ts';
import { planOf } from './consume-incident.ts';

type AdminContext = UseCaseContext & { viewer: AgentViewer };

function requireAdmin(ctx: UseCaseContext): asserts ctx is AdminContext {
  if (ctx.viewer.kind !== 'agent' || !ctx.viewer.isAdmin) throw new ForbiddenError('Only administrators manage billing');
}

async function unique<T>(what: string, fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError(`${what} exists already`);
    throw e;
  }
}

export const billingSettingsInput = z.object({
  consumeOn: z.enum(['ON_CREATE', 'ON_FIRST_REPLY']).optional(),
  ratingScale: z.enum(['FIVE_STARS', 'GOOD_BAD']).optional(),
  badRatingReopens: z.boolean().optional(),
  currency: z.string().regex(/^[a-z]{3}$/).optional(),
});

export async function updateBillingSettings(ctx: UseCaseContext, raw: z.input<typeof billingSettingsInput>) {
  requireAdmin(ctx);
  const input = parseInput(billingSettingsInput, raw);
  const tenantId = ctx.viewer.tenantId;
  return withTenant(ctx.db, tenantId, (tx) => tx.billingSettings.upsert({ where: { tenantId }, create: { tenantId, ...input }, update: input }));
}

export async function billingSettingsOf(tx: TenantTx, tenantId: string) {
  return (await tx.billingSettings.findFirst({ where: { tenantId } }))
    ?? { tenantId, consumeOn: 'ON_CREATE' as const, ratingScale: 'FIVE_STARS' as const, badRatingReopens: false, stripeAccountId: null, stripeChargesEnabled: false, currency: 'eur', updatedAt: new Date(0) };
}

export async function setQueueRequiresIncident(ctx: UseCaseContext, queueId: string, requiresIncident: boolean) {
  requireAdmin(ctx);
  const tenantId = ctx.viewer.tenantId;
  return withTenant(ctx.db, tenantId, async (tx) => {
    const queue = await tx.queue.findFirst({ where: { id: queueId }, select: { id: true } });
    if (!queue) throw new NotFoundError('Queue');
    return tx.queueBilling.upsert({ where: { tenantId_queueId: { tenantId, queueId } }, create: { tenantId, queueId, requiresIncident }, update: { requiresIncident } });
  });
}

export const supportPlanInput = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1).max(100),
  mode: z.enum(['FREE', 'PER_REQUEST', 'PREPAID']),
  perRequestCents: z.number().int().min(0).max(10_000_000).nullable().optional(),
  registrationIncidents: z.number().int().min(0).max(1000).default(0),
  isDefault: z.boolean().default(false),
  active: z.boolean().default(true),
}).refine((p) => p.mode !== 'PER_REQUEST' || p.perRequestCents != null, { message: 'a pay-per-request plan needs perRequestCents', path: ['perRequestCents'] });

/** Creates or changes a support plan; making one the default takes that from the others. */
export async function saveSupportPlan(ctx: UseCaseContext, raw: z.input<typeof supportPlanInput>) {
  requireAdmin(ctx);
  const { id, ...data } = parseInput(supportPlanInput, raw);
  const tenantId = ctx.viewer.tenantId;
  return unique('A plan with this name', () => withTenant(ctx.db, tenantId, async (tx) => {
    if (data.isDefault) await tx.supportPlan.updateMany({ where: { isDefault: true, ...(id ? { id: { not: id } } : {}) }, data: { isDefault: false } });
    if (!id) return tx.supportPlan.create({ data: { tenantId, ...data } });
    const existing = await tx.supportPlan.findFirst({ where: { id }, select: { id: true } });
    if (!existing) throw new NotFoundError('Support plan');
    return tx.supportPlan.update({ where: { id }, data });
  }));
}

export const incidentPackInput = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1).max(100),
  incidents: z.number().int().min(1).max(10_000),
  kind: z.enum(['LIFETIME', 'PERIOD']).default('LIFETIME'),
  periodDays: z.number().int().min(1).max(3660).nullable().optional(),
  priceCents: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[a-z]{3}$/).default('eur'),
  active: z.boolean().default(true),
}).refine((p) => p.kind !== 'PERIOD' || p.periodDays != null, { message: 'a period pack needs periodDays', path: ['periodDays'] });

export async function saveIncidentPack(ctx: UseCaseContext, raw: z.input<typeof incidentPackInput>) {
  requireAdmin(ctx);
  const { id, ...data } = parseInput(incidentPackInput, raw);
  const tenantId = ctx.viewer.tenantId;
  const row = { ...data, periodDays: data.kind === 'PERIOD' ? data.periodDays ?? null : null };
  return unique('A pack with this name', () => withTenant(ctx.db, tenantId, async (tx) => {
    if (!id) return tx.incidentPack.create({ data: { tenantId, ...row } });
    const existing = await tx.incidentPack.findFirst({ where: { id }, select: { id: true } });
    if (!existing) throw new NotFoundError('Incident pack');
    return tx.incidentPack.update({ where: { id }, data: row });
  }));
}

/** Puts a customer on a plan (null: back to the tenant's default). */
export async function setCustomerSupportPlan(ctx: UseCaseContext, customerUserId: string, planId: string | null) {
  requireAdmin(ctx);
  const tenantId = ctx.viewer.tenantId;
  return withTenant(ctx.db, tenantId, async (tx) => {
    const customer = await tx.customerUser.findFirst({ where: { id: customerUserId }, select: { id: true } });
    if (!customer) throw new NotFoundError('Customer');
    if (planId && !(await tx.supportPlan.findFirst({ where: { id: planId }, select: { id: true } }))) throw new NotFoundError('Support plan');
    return tx.incidentAccount.upsert({
      where: { tenantId_customerUserId: { tenantId, customerUserId } },
      create: { tenantId, customerUserId, planId }, update: { planId },
    });
  });
}

export const grantInput = z.object({
  customerUserId: z.uuid(),
  incidents: z.number().int().min(1).max(10_000),
  expiresAt: z.date().nullable().optional(),
  reason: z.string().trim().min(1).max(500),
});

/** Dedicated incidents granted by an administrator (goodwill, contract). */
export async function grantIncidentsManually(ctx: UseCaseContext, raw: z.input<typeof grantInput>) {
  requireAdmin(ctx);
  const input = parseInput(grantInput, raw);
  const tenantId = ctx.viewer.tenantId;
  if (input.expiresAt && input.expiresAt <= clock(ctx)) throw new ValidationError('The expiry must be in the future', 'expiresAt');
  return withTenant(ctx.db, tenantId, async (tx) => {
    const customer = await tx.customerUser.findFirst({ where: { id: input.customerUserId }, select: { id: true } });
    if (!customer) throw new NotFoundError('Customer');
    const { entry } = await grantIncidents(tx, tenantId, input.customerUserId, {
      kind: 'GRANT_MANUAL', incidents: input.incidents, expiresAt: input.expiresAt ?? null, reason: input.reason, actorUserId: ctx.viewer.userId,
    });
    return entry;
  });
}

/** The incidents a new customer gets from the tenant's default plan (call inside the sign-up transaction). */
export async function grantRegistrationIncidents(tx: TenantTx, tenantId: string, customerUserId: string) {
  const plan = await planOf(tx, null);
  if (!plan || plan.mode !== 'PREPAID' || plan.registrationIncidents <= 0) return null;
  const { entry } = await grantIncidents(tx, tenantId, customerUserId, {
    kind: 'GRANT_REGISTRATION', incidents: plan.registrationIncidents, reason: `registration (${plan.name})`, externalRef: `registration:${customerUserId}`,
  });
  return entry;
}

/** An agent with rw marks a ticket not billable: its incident goes back to the customer. */
export async function markTicketNotBillable(ctx: UseCaseContext, ticketId: string, reason?: string | null) {
  const { viewer } = ctx;
  if (viewer.kind !== 'agent') throw new ForbiddenError('Only agents can do this');
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const { ticket, access } = await loadTicketForUpdate(tx, viewer, ticketId);
    requirePermission(access!, ticket.queueId, 'RW', 'mark tickets not billable');
    const refunded = await refundIncident(tx, viewer.tenantId, ticket.id, reason?.slice(0, 500) || 'not billable', viewer.userId, clock(ctx));
    if (!refunded) throw new ValidationError('This ticket has no incident to refund', 'ticketId');
    await recordHistory(tx, viewer.tenantId, ticket.id, { userId: viewer.userId }, [{ action: 'incident_refunded', newValue: 'not billable' }]);
    return ticket;
  });
}

/** A customer's incident balance, plan and ledger (newest first). */
export async function incidentStatement(db: Db, tenantId: string, customerUserId: string, now = new Date()) {
  return withTenant(db, tenantId, async (tx) => {
    const account = await tx.incidentAccount.findFirst({ where: { customerUserId } });
    const [balance, plan, entries, customer] = await Promise.all([
      incidentBalance(tx, tenantId, customerUserId, now),
      planOf(tx, account?.planId ?? null),
      tx.incidentLedgerEntry.findMany({ where: { customerUserId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200 }),
      tx.customerUser.findFirst({ where: { id: customerUserId }, select: { name: true, email: true } }),
    ]);
    return { customerUserId, balance, plan, ownPlanId: account?.planId ?? null, entries, customerName: customer?.name ?? '', customerEmail: customer?.email ?? '' };
  });
}
