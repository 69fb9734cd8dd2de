import { withTenant } from '@parley/db';
import { builder } from '../graphql/builder.ts';
import { ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { getPortalSettings, updatePortalSettings } from './portal-settings.ts';

const PortalSettingsType = builder.objectRef<{ allowSignUp: boolean; allowGuestTickets: boolean }>('PortalSettings').implement({
  fields: (t) => ({
    allowSignUp: t.exposeBoolean('allowSignUp', { description: 'Customers may create their own account (verified by e-mail)' }),
    allowGuestTickets: t.exposeBoolean('allowGuestTickets', { description: 'Anyone may open a ticket through the guest form' }),
  }),
});

builder.queryField('portalSettings', (t) => t.field({
  type: PortalSettingsType,
  authScopes: { admin: true },
  resolve: (_root, _args, ctx) => getPortalSettings(ctx.services.db, agentContext(ctx).viewer.tenantId),
}));

const PortalSettingsInput = builder.inputType('PortalSettingsInput', {
  fields: (t) => ({ allowSignUp: t.boolean(), allowGuestTickets: t.boolean() }),
});

builder.mutationField('updatePortalSettings', (t) => t.field({
  type: PortalSettingsType,
  authScopes: { admin: true },
  errors: { types: [ValidationError], dataField: { name: 'settings' } },
  args: { input: t.arg({ type: PortalSettingsInput, required: true }) },
  resolve: (_root, { input }, ctx) => updatePortalSettings(ctx.services.db, agentContext(ctx).viewer.tenantId, {
    allowSignUp: input.allowSignUp ?? undefined, allowGuestTickets: input.allowGuestTickets ?? undefined,
  }),
}));

const PortalProfile = builder.objectRef<{ seesCompanyTickets: boolean; companyName: string | null }>('PortalProfile').implement({
  fields: (t) => ({
    seesCompanyTickets: t.exposeBoolean('seesCompanyTickets', { description: 'The customer may see all tickets of their company' }),
    companyName: t.exposeString('companyName', { nullable: true }),
  }),
});

builder.queryField('portalProfile', (t) => t.field({
  type: PortalProfile,
  authScopes: { customer: true },
  description: 'The signed-in customer’s portal access (for the "my / my company’s tickets" filter)',
  resolve: async (_root, _args, ctx) => {
    const v = ctx.viewer;
    if (v.kind !== 'customer') throw new Error('unreachable');
    const company = v.companyId ? await withTenant(ctx.services.db, v.tenantId, (tx) => tx.customerCompany.findUnique({ where: { id: v.companyId! }, select: { name: true } })) : null;
    return { seesCompanyTickets: v.seesCompanyTickets && !!v.companyId, companyName: company?.name ?? null };
  },
}));
