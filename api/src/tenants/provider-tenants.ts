import { z } from 'zod';
import type { Db } from '@parley/db';
import type { Viewer } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { limitsOf, PLAN_NAMES, type PlanLimits } from '../billing/tenant-plans.ts';

/**
 * The provider console (issue 5): every tenant with its usage against its limits, changing a
 * tenant's plan and limits, suspending and resuming. Runs as the system role (across tenants),
 * only for the provider viewer.
 */

function requireProvider(viewer: Viewer) {
  if (viewer.kind !== 'provider') throw new ForbiddenError('Only the platform provider can do this');
}

export interface TenantUsage {
  agents: number;
  ticketsThisMonth: number;
  storageMb: number;
  limits: PlanLimits;
  /** The limits the provider set instead of the plan's (null where the plan's apply) */
  overrides: { agents: number | null; ticketsPerMonth: number | null; storageMb: number | null } | null;
  overLimit: boolean;
}

/** Usage of many tenants in three grouped queries (not one round per tenant). */
export async function usageOfTenants(systemDb: Db, tenants: Array<{ id: string; plan: string }>, now = new Date()): Promise<Map<string, TenantUsage>> {
  const ids = tenants.map((t) => t.id);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const [agents, tickets, storage, overrides] = await Promise.all([
    systemDb.user.groupBy({ by: ['tenantId'], where: { tenantId: { in: ids }, active: true }, _count: { _all: true } }),
    systemDb.ticket.groupBy({ by: ['tenantId'], where: { tenantId: { in: ids }, createdAt: { gte: monthStart } }, _count: { _all: true } }),
    systemDb.attachment.groupBy({ by: ['tenantId'], where: { tenantId: { in: ids } }, _sum: { size: true } }),
    systemDb.tenantLimitOverride.findMany({ where: { tenantId: { in: ids } } }),
  ]);
  const count = (rows: Array<{ tenantId: string; _count: { _all: number } }>) => new Map(rows.map((r) => [r.tenantId, r._count._all]));
  const agentsBy = count(agents);
  const ticketsBy = count(tickets);
  const storageBy = new Map(storage.map((r) => [r.tenantId, Math.ceil((r._sum.size ?? 0) / 1_048_576)]));
  const overrideBy = new Map(overrides.map((o) => [o.tenantId, { agents: o.agents, ticketsPerMonth: o.ticketsPerMonth, storageMb: o.storageMb }]));
  const out = new Map<string, TenantUsage>();
  for (const t of tenants) {
    const override = overrideBy.get(t.id) ?? null;
    const limits = limitsOf(t.plan, override);
    const usage = { agents: agentsBy.get(t.id) ?? 0, ticketsThisMonth: ticketsBy.get(t.id) ?? 0, storageMb: storageBy.get(t.id) ?? 0 };
    out.set(t.id, {
      ...usage, limits, overrides: override,
      overLimit: usage.agents > limits.agents || usage.ticketsThisMonth > limits.ticketsPerMonth || usage.storageMb > limits.storageMb,
    });
  }
  return out;
}

export async function listTenants(systemDb: Db, viewer: Viewer) {
  requireProvider(viewer);
  return systemDb.tenant.findMany({ orderBy: { createdAt: 'asc' } });
}

const limit = z.number().int().min(0).max(10_000_000).nullable().optional();
export const tenantPlanInput = z.object({
  tenantId: z.uuid(),
  plan: z.enum(PLAN_NAMES as [string, ...string[]]),
  limits: z.object({ agents: limit, ticketsPerMonth: limit, storageMb: limit }).nullable().optional(),
});

/**
 * Sets a tenant's platform plan and, optionally, limits of its own (null or absent: the plan's).
 * A plan paid through Stripe is set again by the next subscription webhook; this is for
 * contracts outside Stripe, trials and corrections.
 */
export async function changeTenantPlan(systemDb: Db, viewer: Viewer, raw: z.input<typeof tenantPlanInput>) {
  requireProvider(viewer);
  const input = parseInput(tenantPlanInput, raw);
  const tenant = await systemDb.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } });
  if (!tenant) throw new NotFoundError('Tenant');
  const l = input.limits ?? {};
  const override = { agents: l.agents ?? null, ticketsPerMonth: l.ticketsPerMonth ?? null, storageMb: l.storageMb ?? null };
  const hasOverride = Object.values(override).some((v) => v !== null);
  const [updated] = await systemDb.$transaction([
    systemDb.tenant.update({ where: { id: input.tenantId }, data: { plan: input.plan } }),
    hasOverride
      ? systemDb.tenantLimitOverride.upsert({ where: { tenantId: input.tenantId }, create: { tenantId: input.tenantId, ...override }, update: override })
      : systemDb.tenantLimitOverride.deleteMany({ where: { tenantId: input.tenantId } }),
  ]);
  return updated;
}

export const suspensionInput = z.object({ tenantId: z.uuid(), suspended: z.boolean(), reason: z.string().trim().max(500).nullable().optional() });

/**
 * Suspends or resumes a tenant. While suspended its agents, customers and API keys are refused
 * (TenantSuspendedError at sign-in and on every request; sessions are kept, so resuming restores
 * them), while inbound mail is still accepted and stored, and becomes tickets as usual.
 */
export async function setTenantSuspended(systemDb: Db, viewer: Viewer, raw: z.input<typeof suspensionInput>) {
  requireProvider(viewer);
  const input = parseInput(suspensionInput, raw);
  const tenant = await systemDb.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true, suspended: true } });
  if (!tenant) throw new NotFoundError('Tenant');
  if (tenant.suspended === input.suspended) return systemDb.tenant.findUniqueOrThrow({ where: { id: input.tenantId } });
  const [updated] = await systemDb.$transaction([
    systemDb.tenant.update({ where: { id: input.tenantId }, data: { suspended: input.suspended } }),
    systemDb.tenantStatusChange.create({ data: { tenantId: input.tenantId, suspended: input.suspended, reason: input.reason ?? null } }),
  ]);
  return updated;
}
