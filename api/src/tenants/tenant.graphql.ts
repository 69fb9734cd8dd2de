import { builder } from '../graphql/builder.ts';
import { ConflictError, ValidationError } from '../errors/app-error.ts';
import { onboardTenant } from './onboard-tenant.ts';
import { listTenants, usageOfTenants, type TenantUsage } from './provider-tenants.ts';

/** A tenant as the provider sees it (read through the system role, across tenants). */
export interface TenantRow { id: string; slug: string; name: string; plan: string; suspended: boolean; createdAt: Date; usage?: TenantUsage }

export const TenantType = builder.objectRef<TenantRow>('Tenant').implement({
  description: 'A company on the platform (provider view)',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    plan: t.exposeString('plan'),
    suspended: t.exposeBoolean('suspended'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('tenants', (t) => t.field({
  type: [TenantType],
  authScopes: { provider: true },
  description: 'All tenants (provider only)',
  resolve: async (_root, _args, ctx) => {
    const tenants = await listTenants(ctx.services.systemDb, ctx.viewer);
    const usage = await usageOfTenants(ctx.services.systemDb, tenants);
    return tenants.map((t) => ({ ...t, usage: usage.get(t.id) }));
  },
}));

const OnboardTenantInput = builder.inputType('OnboardTenantInput', {
  fields: (t) => ({
    slug: t.string({ required: true }),
    name: t.string({ required: true }),
    adminEmail: t.string({ required: true }),
    adminPassword: t.string({ required: true }),
    adminName: t.string(),
    plan: t.string(),
  }),
});

builder.mutationField('onboardTenant', (t) => t.field({
  type: TenantType,
  authScopes: { provider: true },
  description: 'Creates a tenant with default states, priorities, queues, a template and its first admin',
  errors: { types: [ValidationError, ConflictError], dataField: { name: 'tenant' } },
  args: { input: t.arg({ type: OnboardTenantInput, required: true }) },
  resolve: async (_root, { input }, ctx) => {
    const { tenant } = await onboardTenant(ctx.services.db, {
      ...input, adminName: input.adminName ?? undefined, plan: input.plan ?? undefined,
    });
    return tenant;
  },
}));
