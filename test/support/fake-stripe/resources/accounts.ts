// Stripe Connect: connected accounts and Account Links. Accounts live in the platform's scope;
// their ids are what the `Stripe-Account` header takes.
import type { Ctx, Fake } from '../fake.ts';
import { invalidRequest, noSuch } from '../errors.ts';
import type { Route } from '../router.ts';
import { metadata, obj, oneOf, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { randomId } from '../store.ts';
import { respond, respondList } from './common.ts';

const DUE = ['business_type', 'external_account', 'representative.first_name', 'tos_acceptance.date', 'tos_acceptance.ip'];

function findAccount(ctx: Ctx, id: string, param = 'id'): StripeObject {
  const account = ctx.fake.store.get(null, id, 'account');
  if (!account || account.deleted) {
    if (param === 'id') throw noSuch('account', id);
    throw invalidRequest(`No such account: '${id}'`, { code: 'account_invalid', param });
  }
  return account;
}

/** Test control: the account finished onboarding (charges and payouts enabled); emits `account.updated`. */
export function onboardAccount(fake: Fake, id: string): StripeObject {
  const account = fake.store.get(null, id, 'account');
  if (!account) throw invalidRequest(`No such account: '${id}'`, { code: 'account_invalid', param: 'account' });
  const capabilities = Object.fromEntries(Object.keys(account.capabilities as object).map((k) => [k, 'active']));
  // Connect events carry `account` and are delivered to Connect endpoints.
  return fake.update(id, account, (a) => {
    a.charges_enabled = true;
    a.payouts_enabled = true;
    a.details_submitted = true;
    a.capabilities = capabilities;
    a.requirements = { ...(a.requirements as object), currently_due: [], eventually_due: [], past_due: [], disabled_reason: null };
  }, 'account.updated');
}

export const accountRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/accounts',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['type', 'country', 'email', 'business_type', 'capabilities', 'metadata', 'business_profile', 'controller', 'default_currency']);
      if (ctx.account) throw invalidRequest('Connected accounts cannot create other accounts.', { param: 'type' });
      const controller = obj(ctx.params, 'controller');
      const type = oneOf(ctx.params, 'type', ['custom', 'express', 'standard']) ?? (controller ? 'none' : undefined);
      if (!type) throw invalidRequest('You must provide either `type` or `controller`.', { code: 'parameter_missing', param: 'type' });
      const requested = obj(ctx.params, 'capabilities') ?? {};
      const capabilities = Object.fromEntries(Object.keys(requested).map((k) => [k, 'inactive']));
      if (type === 'standard' || type === 'express') Object.assign(capabilities, { card_payments: 'inactive', transfers: 'inactive' }, capabilities);
      const id = randomId('acct', 16);
      const profile = obj(ctx.params, 'business_profile') ?? {};
      const account: StripeObject = {
        id,
        object: 'account',
        business_profile: { mcc: null, name: str(profile, 'name') ?? null, product_description: null, support_email: null, support_url: null, url: str(profile, 'url') ?? null },
        business_type: str(ctx.params, 'business_type') ?? null,
        capabilities,
        charges_enabled: false,
        controller: type === 'standard'
          ? { is_controller: true, type: 'application' }
          : { fees: { payer: 'application' }, is_controller: true, losses: { payments: 'application' }, requirement_collection: type === 'express' ? 'stripe' : 'application', stripe_dashboard: { type: type === 'express' ? 'express' : 'none' }, type: 'application' },
        country: str(ctx.params, 'country') ?? 'US',
        created: ctx.fake.now(),
        default_currency: str(ctx.params, 'default_currency') ?? 'usd',
        details_submitted: false,
        email: str(ctx.params, 'email') ?? null,
        external_accounts: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/accounts/${id}/external_accounts` },
        livemode: false,
        metadata: metadata(ctx.params),
        payouts_enabled: false,
        requirements: { alternatives: [], current_deadline: null, currently_due: DUE, disabled_reason: 'requirements.past_due', errors: [], eventually_due: DUE, past_due: DUE, pending_verification: [] },
        settings: { dashboard: { display_name: null, timezone: 'Etc/UTC' } },
        tos_acceptance: { date: null, ip: null, user_agent: null },
        type,
      };
      return respond(ctx, ctx.fake.store.put(null, account));
    },
  },
  { method: 'GET', path: '/v1/accounts/:id', handler: (ctx) => respond(ctx, findAccount(ctx, ctx.path.id)) },
  {
    method: 'GET',
    path: '/v1/account',
    handler: (ctx) => {
      if (ctx.account) return respond(ctx, findAccount(ctx, ctx.account));
      return { id: 'acct_fakeplatform000', object: 'account', business_profile: { name: 'Fake platform' }, charges_enabled: true, country: 'US', default_currency: 'usd', details_submitted: true, payouts_enabled: true, type: 'standard' };
    },
  },
  {
    method: 'POST',
    path: '/v1/accounts/:id',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['email', 'metadata', 'business_profile', 'business_type', 'capabilities', 'default_currency']);
      const account = findAccount(ctx, ctx.path.id);
      return respond(ctx, ctx.fake.update(account.id as string, account, (a) => {
        const email = str(ctx.params, 'email');
        if (email !== undefined) a.email = email || null;
        const profile = obj(ctx.params, 'business_profile');
        if (profile) a.business_profile = { ...(a.business_profile as object), ...profile };
        a.metadata = metadata(ctx.params, a.metadata as Record<string, string>);
      }, 'account.updated'));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/accounts/:id',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.path.id);
      account.deleted = true;
      return { id: account.id, object: 'account', deleted: true };
    },
  },
  {
    method: 'GET',
    path: '/v1/accounts',
    handler: (ctx) => respondList(ctx, ctx.fake.store.all(null, 'account').filter((a) => !a.deleted), '/v1/accounts'),
  },
  {
    method: 'POST',
    path: '/v1/account_links',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['account', 'type', 'refresh_url', 'return_url', 'collect', 'collection_options']);
      const account = findAccount(ctx, str(ctx.params, 'account', { required: true }) as string, 'account');
      const type = oneOf(ctx.params, 'type', ['account_onboarding', 'account_update'], { required: true });
      if (type === 'account_update' && account.type !== 'custom') {
        throw invalidRequest(`You cannot create \`account_update\` type Account Links for accounts of type ${account.type}.`, { param: 'type' });
      }
      const now = ctx.fake.now();
      return {
        object: 'account_link',
        created: now,
        expires_at: now + 300,
        url: `https://connect.stripe.com/setup/${account.type === 'express' ? 'e' : 's'}/${account.id}/${randomId('x', 12).slice(2)}`,
      };
    },
  },
];
