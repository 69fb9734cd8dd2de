import type { Ctx, Fake } from '../fake.ts';
import { noSuch } from '../errors.ts';
import type { Route } from '../router.ts';
import { metadata, obj, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { randomId } from '../store.ts';
import { find, respond, respondList } from './common.ts';

const WRITABLE = ['email', 'name', 'description', 'phone', 'metadata', 'payment_method', 'invoice_settings', 'preferred_locales', 'address'];

/**
 * `payment_method` attaches a payment method (a test token such as `pm_card_visa` is accepted as
 * it is); only `invoice_settings[default_payment_method]` makes one the default that subscriptions
 * charge — as in Stripe, an attached but non-default method is not used for invoices.
 */
function applyPaymentSettings(ctx: Ctx, customer: StripeObject): void {
  const pm = str(ctx.params, 'payment_method');
  const settings = obj(ctx.params, 'invoice_settings');
  const attached = (customer._payment_methods ??= []) as string[];
  if (pm) attached.push(pm);
  const wanted = settings && str(settings, 'default_payment_method', { param: 'invoice_settings[default_payment_method]' });
  if (wanted === undefined || wanted === null) return;
  if (wanted !== '' && !wanted.startsWith('pm_card_') && !attached.includes(wanted)) {
    throw noSuch('PaymentMethod', wanted, 'invoice_settings[default_payment_method]');
  }
  (customer.invoice_settings as Record<string, unknown>).default_payment_method = wanted || null;
}

export function createCustomer(fake: Fake, account: string | null, fields: Partial<StripeObject> = {}): StripeObject {
  const customer: StripeObject = {
    id: randomId('cus', 14),
    object: 'customer',
    address: null,
    balance: 0,
    created: fake.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomId('x', 8).slice(2).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
    ...fields,
  };
  return fake.store.put(account, customer);
}

export const customerRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/customers',
    handler: (ctx) => {
      rejectUnknown(ctx.params, WRITABLE);
      const customer = createCustomer(ctx.fake, ctx.account, {
        email: str(ctx.params, 'email') ?? null,
        name: str(ctx.params, 'name') ?? null,
        description: str(ctx.params, 'description') ?? null,
        phone: str(ctx.params, 'phone') ?? null,
        metadata: metadata(ctx.params),
      });
      applyPaymentSettings(ctx, customer);
      return respond(ctx, customer);
    },
  },
  {
    method: 'GET',
    path: '/v1/customers/:id',
    handler: (ctx) => {
      const found = ctx.fake.store.get(ctx.account, ctx.path.id, 'customer');
      if (found?.deleted) return { id: found.id, object: 'customer', deleted: true };
      return respond(ctx, find(ctx, 'customer', 'customer', ctx.path.id));
    },
  },
  {
    method: 'POST',
    path: '/v1/customers/:id',
    handler: (ctx) => {
      rejectUnknown(ctx.params, WRITABLE);
      const customer = find(ctx, 'customer', 'customer', ctx.path.id);
      for (const key of ['email', 'name', 'description', 'phone']) {
        const v = str(ctx.params, key);
        if (v !== undefined) customer[key] = v === '' ? null : v;
      }
      customer.metadata = metadata(ctx.params, customer.metadata as Record<string, string>);
      applyPaymentSettings(ctx, customer);
      return respond(ctx, customer);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/customers/:id',
    handler: (ctx) => {
      const customer = find(ctx, 'customer', 'customer', ctx.path.id);
      customer.deleted = true;
      return { id: customer.id, object: 'customer', deleted: true };
    },
  },
  {
    method: 'GET',
    path: '/v1/customers',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['email', 'limit', 'starting_after', 'ending_before', 'created', 'test_clock']);
      const email = str(ctx.params, 'email');
      const items = ctx.fake.store.all(ctx.account, 'customer').filter((c) => !c.deleted && (email === undefined || c.email === email));
      return respondList(ctx, items, '/v1/customers');
    },
  },
];
