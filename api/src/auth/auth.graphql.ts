import { withTenant } from '@parley/db';
import { builder } from '../graphql/builder.ts';
import { ValidationErrorType } from '../graphql/error-types.ts';
import { InvalidCredentialsError, RateLimitedError, TenantSuspendedError, ValidationError } from '../errors/app-error.ts';
import { login, logout } from './login.ts';
import { EmailNotVerifiedError } from '../customers/portal-errors.ts';
import '../customers/portal-errors.graphql.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import type { TenantViewer } from './viewer.ts';

void ValidationErrorType;

interface ViewerShape { id: string; name: string; email: string; kind: 'AGENT' | 'ADMIN' | 'CUSTOMER'; locale: string; savedLocale: string | null; tenantSlug: string; tenantName: string }

const ViewerKind = builder.enumType('ViewerKind', { values: ['AGENT', 'ADMIN', 'CUSTOMER'] as const });
const ViewerTenant = builder.objectRef<{ slug: string; name: string }>('ViewerTenant').implement({
  fields: (t) => ({ slug: t.exposeString('slug'), name: t.exposeString('name') }),
});

export const ViewerType = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'The signed-in agent, admin or customer',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    kind: t.field({ type: ViewerKind, resolve: (v) => v.kind }),
    locale: t.exposeString('locale'),
    savedLocale: t.exposeString('savedLocale', { nullable: true, description: 'The language the user chose (setMyLocale); null: the tenant default applies' }),
    tenant: t.field({ type: ViewerTenant, resolve: (v) => ({ slug: v.tenantSlug, name: v.tenantName }) }),
  }),
});

async function loadViewer(ctx: GraphQLContext, viewer: TenantViewer): Promise<ViewerShape | null> {
  return withTenant(ctx.services.db, viewer.tenantId, async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: viewer.tenantId } });
    if (viewer.kind === 'agent') {
      const u = await tx.user.findUnique({ where: { id: viewer.userId } });
      return u && { id: u.id, name: u.name, email: u.email, kind: u.kind, locale: u.locale ?? tenant.defaultLocale, savedLocale: u.locale, tenantSlug: tenant.slug, tenantName: tenant.name };
    }
    const c = await tx.customerUser.findUnique({ where: { id: viewer.customerUserId } });
    return c && { id: c.id, name: c.name, email: c.email, kind: 'CUSTOMER' as const, locale: c.locale ?? tenant.defaultLocale, savedLocale: c.locale, tenantSlug: tenant.slug, tenantName: tenant.name };
  });
}

builder.queryField('me', (t) => t.field({
  type: ViewerType,
  nullable: true,
  description: 'Who is signed in; null when nobody is',
  resolve: (_root, _args, ctx) => (ctx.viewer.kind === 'agent' || ctx.viewer.kind === 'customer' ? loadViewer(ctx, ctx.viewer) : null),
}));

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    tenantSlug: t.string({ required: true }),
    email: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

const LoginSuccess = builder.objectRef<{ token: string; expiresAt: Date; viewer: ViewerShape }>('LoginSuccess').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Use as `Authorization: Bearer <token>`; the web app keeps it in an httpOnly cookie' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    viewer: t.field({ type: ViewerType, resolve: (p) => p.viewer }),
  }),
});

builder.mutationField('login', (t) => t.field({
  type: LoginSuccess,
  errors: { types: [InvalidCredentialsError, RateLimitedError, TenantSuspendedError, ValidationError, EmailNotVerifiedError], directResult: true },
  args: { input: t.arg({ type: LoginInput, required: true }) },
  resolve: async (_root, { input }, ctx) => {
    if (!input.tenantSlug.trim() || !input.email.trim()) throw new ValidationError('tenantSlug and email are required');
    const result = await login(ctx.services, input, ctx.meta);
    const viewer: TenantViewer = result.kind === 'agent'
      ? { kind: 'agent', tenantId: result.tenantId, userId: result.subjectId, isAdmin: false, apiKey: null, sessionId: null }
      : { kind: 'customer', tenantId: result.tenantId, customerUserId: result.subjectId, companyId: null, seesCompanyTickets: false, sessionId: '' };
    return { token: result.token, expiresAt: result.expiresAt, viewer: (await loadViewer(ctx, viewer))! };
  },
}));

builder.mutationField('logout', (t) => t.boolean({
  description: 'Ends the current session; true when one was ended',
  resolve: async (_root, _args, ctx) => {
    const v = ctx.viewer;
    const sessionId = v.kind === 'agent' || v.kind === 'customer' ? v.sessionId : null;
    if (!sessionId || (v.kind !== 'agent' && v.kind !== 'customer')) return false;
    await logout(ctx.services, v.tenantId, sessionId);
    return true;
  },
}));
