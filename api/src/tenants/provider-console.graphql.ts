import { builder } from '../graphql/builder.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { TenantType, type TenantRow } from './tenant.graphql.ts';
import { changeTenantPlan, setTenantSuspended, usageOfTenants, type TenantUsage } from './provider-tenants.ts';

/** The provider console's fields and mutations on tenants (issue 5): usage, plan and limits, suspension. */

const LimitsType = builder.objectRef<TenantUsage['limits']>('TenantLimits').implement({
  fields: (t) => ({ agents: t.exposeInt('agents'), ticketsPerMonth: t.exposeInt('ticketsPerMonth'), storageMb: t.exposeInt('storageMb') }),
});
const OverridesType = builder.objectRef<NonNullable<TenantUsage['overrides']>>('TenantLimitOverrides').implement({
  description: 'Limits the provider set instead of the plan\'s (null: the plan\'s)',
  fields: (t) => ({
    agents: t.exposeInt('agents', { nullable: true }), ticketsPerMonth: t.exposeInt('ticketsPerMonth', { nullable: true }),
    storageMb: t.exposeInt('storageMb', { nullable: true }),
  }),
});
const UsageType = builder.objectRef<TenantUsage>('TenantUsage').implement({
  fields: (t) => ({
    agents: t.exposeInt('agents', { description: 'Active agents and admins' }),
    ticketsThisMonth: t.exposeInt('ticketsThisMonth', { description: 'Tickets created since the 1st of this month (UTC)' }),
    storageMb: t.exposeInt('storageMb', { description: 'Attachment storage, MB (rounded up)' }),
    limits: t.field({ type: LimitsType, resolve: (u) => u.limits }),
    overrides: t.field({ type: OverridesType, nullable: true, resolve: (u) => u.overrides }),
    overLimit: t.exposeBoolean('overLimit'),
  }),
});

builder.objectField(TenantType, 'usage', (t) => t.field({
  type: UsageType,
  resolve: async (tenant: TenantRow, _a, ctx) => tenant.usage ?? (await usageOfTenants(ctx.services.systemDb, [tenant])).get(tenant.id)!,
}));

const LimitsInput = builder.inputType('TenantLimitsInput', {
  fields: (t) => ({ agents: t.int(), ticketsPerMonth: t.int(), storageMb: t.int() }),
});
const providerErrors = [ForbiddenError, ValidationError, NotFoundError];

builder.mutationField('changeTenantPlan', (t) => t.field({
  type: TenantType, authScopes: { provider: true },
  description: 'Sets a tenant\'s platform plan and limits of its own (absent or null: the plan\'s). Provider only.',
  errors: { types: providerErrors, dataField: { name: 'tenant' } },
  args: { tenantId: t.arg.id({ required: true }), plan: t.arg.string({ required: true }), limits: t.arg({ type: LimitsInput }) },
  resolve: (_r, a, ctx) => changeTenantPlan(ctx.services.systemDb, ctx.viewer, {
    tenantId: fromGlobalOrRawId(String(a.tenantId)), plan: a.plan,
    limits: a.limits ? { agents: a.limits.agents ?? null, ticketsPerMonth: a.limits.ticketsPerMonth ?? null, storageMb: a.limits.storageMb ?? null } : null,
  }),
}));

builder.mutationField('suspendTenant', (t) => t.field({
  type: TenantType, authScopes: { provider: true },
  description: 'Its agents, customers and API keys are refused until resumed; inbound mail is still accepted and kept. Provider only.',
  errors: { types: providerErrors, dataField: { name: 'tenant' } },
  args: { tenantId: t.arg.id({ required: true }), reason: t.arg.string() },
  resolve: (_r, a, ctx) => setTenantSuspended(ctx.services.systemDb, ctx.viewer, { tenantId: fromGlobalOrRawId(String(a.tenantId)), suspended: true, reason: a.reason ?? null }),
}));

builder.mutationField('resumeTenant', (t) => t.field({
  type: TenantType, authScopes: { provider: true }, description: 'Lifts a suspension. Provider only.',
  errors: { types: providerErrors, dataField: { name: 'tenant' } },
  args: { tenantId: t.arg.id({ required: true }) },
  resolve: (_r, a, ctx) => setTenantSuspended(ctx.services.systemDb, ctx.viewer, { tenantId: fromGlobalOrRawId(String(a.tenantId)), suspended: false }),
}));
