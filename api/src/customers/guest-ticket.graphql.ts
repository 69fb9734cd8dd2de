import { withTenant } from '@parley/db';
import { builder } from '../graphql/builder.ts';
import { ForbiddenError, NotFoundError, RateLimitedError, TenantSuspendedError, ValidationError } from '../errors/app-error.ts';
import { NoIncidentLeftError } from '../billing/billing-errors.ts';
import { SpamCheckFailedError } from './portal-errors.ts';
import './portal-errors.graphql.ts';
import { submitGuestTicket } from './guest-ticket.ts';
import { consumePortalLimit } from './portal-rate-limits.ts';
import { portalTenant } from './portal-settings.ts';
import { issueChallenge, type Challenge } from './proof-of-work.ts';

const PortalQueueRef = builder.objectRef<{ id: string; name: string }>('PortalQueueOption').implement({
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

interface PortalInfoShape { tenantName: string; allowSignUp: boolean; allowGuestTickets: boolean; guestQueues: { id: string; name: string }[] }

const PortalInfo = builder.objectRef<PortalInfoShape>('PortalInfo').implement({
  description: 'What the portal of a tenant offers to visitors who are not signed in',
  fields: (t) => ({
    tenantName: t.exposeString('tenantName'),
    allowSignUp: t.exposeBoolean('allowSignUp'),
    allowGuestTickets: t.exposeBoolean('allowGuestTickets'),
    guestQueues: t.field({ type: [PortalQueueRef], description: 'Queues open to customers (empty when the guest form is off)', resolve: (p) => p.guestQueues }),
  }),
});

builder.queryField('portalInfo', (t) => t.field({
  type: PortalInfo,
  nullable: true,
  description: 'Public: sign-up and guest-form switches of a tenant (null for an unknown or suspended one)',
  args: { tenantSlug: t.arg.string({ required: true }) },
  resolve: async (_root, { tenantSlug }, ctx) => {
    const tenant = await portalTenant(ctx.services, tenantSlug).catch((e) => {
      if (e instanceof NotFoundError || e instanceof TenantSuspendedError) return null;
      throw e;
    });
    if (!tenant) return null;
    const guestQueues = tenant.allowGuestTickets
      ? await withTenant(ctx.services.db, tenant.id, (tx) => tx.queue.findMany({ where: { active: true, openToCustomers: true }, select: { id: true, name: true }, orderBy: { name: 'asc' } }))
      : [];
    return { tenantName: tenant.name, allowSignUp: tenant.allowSignUp, allowGuestTickets: tenant.allowGuestTickets, guestQueues };
  },
}));

const GuestChallenge = builder.objectRef<Challenge>('GuestTicketChallenge').implement({
  description: 'Find a decimal counter such that SHA-256("<challenge>:<counter>") starts with `difficulty` zero bits',
  fields: (t) => ({
    challenge: t.exposeString('challenge'),
    difficulty: t.exposeInt('difficulty'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.mutationField('guestTicketChallenge', (t) => t.field({
  type: GuestChallenge,
  description: 'A proof-of-work challenge for the guest form (rate-limited per IP)',
  errors: { types: [RateLimitedError, ForbiddenError, NotFoundError, TenantSuspendedError], directResult: true },
  args: { tenantSlug: t.arg.string({ required: true }) },
  resolve: async (_root, { tenantSlug }, ctx) => {
    await consumePortalLimit(ctx.services, 'challengeByIp', ctx.meta.ip);
    const tenant = await portalTenant(ctx.services, tenantSlug);
    if (!tenant.allowGuestTickets) throw new ForbiddenError('This help desk does not accept requests without an account');
    return issueChallenge(ctx.services, tenant.id);
  },
}));

const GuestTicketInput = builder.inputType('GuestTicketInput', {
  fields: (t) => ({
    tenantSlug: t.string({ required: true }),
    name: t.string({ required: true }),
    email: t.string({ required: true }),
    queueId: t.id({ required: true }),
    subject: t.string({ required: true }),
    message: t.string({ required: true }),
    sourceUrl: t.string(),
    locale: t.string({ description: 'The language of the receipt mail (en, de, ru, ro); else the customer\'s saved language, else the tenant\'s default' }),
    honeypot: t.string({ description: 'The hidden field of the form; must stay empty' }),
    challenge: t.string(),
    solution: t.string({ description: 'The counter that solves the challenge' }),
  }),
});

const SubmitGuestTicketSuccess = builder.objectRef<{ number: string; email: string }>('SubmitGuestTicketSuccess').implement({
  fields: (t) => ({ number: t.exposeString('number'), email: t.exposeString('email') }),
});

builder.mutationField('submitGuestTicket', (t) => t.field({
  type: SubmitGuestTicketSuccess,
  description: 'Opens a ticket without signing in (portal guest form): honeypot, proof of work and rate limits guard it',
  errors: { types: [SpamCheckFailedError, RateLimitedError, ValidationError, ForbiddenError, NotFoundError, TenantSuspendedError, NoIncidentLeftError], directResult: true },
  args: { input: t.arg({ type: GuestTicketInput, required: true }) },
  resolve: (_root, { input }, ctx) => submitGuestTicket(ctx.services, {
    tenantSlug: input.tenantSlug, name: input.name, email: input.email, queueId: String(input.queueId), subject: input.subject,
    message: input.message, sourceUrl: input.sourceUrl ?? undefined, locale: input.locale ?? undefined, honeypot: input.honeypot, challenge: input.challenge, solution: input.solution,
  }, ctx.meta),
}));
