import { builder } from '../graphql/builder.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { isTenantViewer } from '../auth/viewer.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { getBranding, getBrandingLogo, removeBrandingLogo, setBrandingLogo, tenantIdOfSlug, updateBranding, type Branding } from './branding.ts';

// Tenant branding: name, primary colour and logo on the portal, the agent header and mails.
// Reading is public (the portal's sign-in page shows it); changing it is for the tenant's admin.
const admin = { admin: true } as const;
const tenantOf = (ctx: GraphQLContext) => agentContext(ctx).viewer.tenantId;

/** Members read their own tenant's branding; anonymous callers name the tenant by slug. */
async function brandingTenant(ctx: GraphQLContext, slug: string | null | undefined): Promise<string | null> {
  if (isTenantViewer(ctx.viewer)) return ctx.viewer.tenantId;
  return slug ? tenantIdOfSlug(ctx.services, slug.toLowerCase()) : null;
}

const BrandingType = builder.objectRef<Branding>('Branding').implement({
  description: 'How a tenant presents itself (portal, agent header, outgoing mail)',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The display name, else the tenant name' }),
    displayName: t.exposeString('displayName', { nullable: true }),
    primaryColor: t.exposeString('primaryColor', { nullable: true, description: '#rrggbb; white text on it meets WCAG AA' }),
    logoType: t.exposeString('logoType', { nullable: true }),
    logoVersion: t.string({ nullable: true, description: 'Changes with the logo (cache busting)', resolve: (b) => b.logoSha256?.slice(0, 16) ?? null }),
  }),
});
const LogoType = builder.objectRef<{ contentType: string; base64: string; sha256: string }>('BrandingLogo').implement({
  fields: (t) => ({ contentType: t.exposeString('contentType'), base64: t.exposeString('base64'), sha256: t.exposeString('sha256') }),
});

builder.queryFields((t) => ({
  branding: t.field({
    type: BrandingType, nullable: true, description: 'The viewer\'s tenant branding, or (signed out) that of the tenant with this slug',
    args: { tenantSlug: t.arg.string({ required: false }) },
    resolve: async (_r, a, ctx) => {
      const tenantId = await brandingTenant(ctx, a.tenantSlug);
      return tenantId ? getBranding(ctx.services.db, tenantId) : null;
    },
  }),
  brandingLogo: t.field({
    type: LogoType, nullable: true, description: 'The logo image (base64), for the web app to serve from the tenant\'s host',
    args: { tenantSlug: t.arg.string({ required: false }) },
    resolve: async (_r, a, ctx) => {
      const tenantId = await brandingTenant(ctx, a.tenantSlug);
      if (!tenantId) return null;
      try {
        const logo = await getBrandingLogo(ctx.services.db, tenantId);
        return { contentType: logo.contentType, base64: logo.bytes.toString('base64'), sha256: logo.sha256 };
      } catch (e) {
        if (e instanceof NotFoundError) return null;
        throw e;
      }
    },
  }),
}));

const BrandingInput = builder.inputType('UpdateBrandingInput', {
  fields: (t) => ({ displayName: t.string(), primaryColor: t.string({ description: '#rrggbb; empty for the default' }) }),
});
const LogoInput = builder.inputType('SetBrandingLogoInput', {
  fields: (t) => ({ contentType: t.string({ required: true }), base64: t.string({ required: true }) }),
});
const errors = { types: [ValidationError, NotFoundError, ConflictError], dataField: { name: 'branding' } };

builder.mutationFields((t) => ({
  updateBranding: t.field({ type: BrandingType, authScopes: admin, errors, args: { input: t.arg({ type: BrandingInput, required: true }) },
    resolve: (_r, { input }, ctx) => updateBranding(ctx.services.db, tenantOf(ctx), { displayName: input.displayName, primaryColor: input.primaryColor }) }),
  setBrandingLogo: t.field({ type: BrandingType, authScopes: admin, errors, args: { input: t.arg({ type: LogoInput, required: true }) },
    resolve: (_r, { input }, ctx) => setBrandingLogo(ctx.services.db, tenantOf(ctx), { contentType: input.contentType as never, base64: input.base64 }) }),
  removeBrandingLogo: t.field({ type: BrandingType, authScopes: admin, errors,
    resolve: (_r, _a, ctx) => removeBrandingLogo(ctx.services.db, tenantOf(ctx)) }),
}));
