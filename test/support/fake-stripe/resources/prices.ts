import type { Ctx } from '../fake.ts';
import { invalidRequest, missingParam } from '../errors.ts';
import type { Route } from '../router.ts';
import { arr, bool, int, metadata, obj, oneOf, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { randomId } from '../store.ts';
import { find, respond, respondList } from './common.ts';
import { createProduct } from './products.ts';

const CREATE = ['currency', 'product', 'product_data', 'unit_amount', 'unit_amount_decimal', 'recurring', 'lookup_key', 'transfer_lookup_key', 'nickname', 'metadata', 'active', 'tax_behavior', 'billing_scheme'];

function currency(ctx: Ctx): string {
  const c = (str(ctx.params, 'currency', { required: true }) as string).toLowerCase();
  if (!/^[a-z]{3}$/.test(c)) throw invalidRequest(`Invalid currency: ${c}. Stripe currently supports these currencies: usd, eur, gbp, ...`, { param: 'currency' });
  return c;
}

function recurring(ctx: Ctx): Record<string, unknown> | null {
  const r = obj(ctx.params, 'recurring');
  if (!r) return null;
  const interval = oneOf(r, 'interval', ['day', 'week', 'month', 'year'], { required: true, param: 'recurring[interval]' });
  const usageType = oneOf(r, 'usage_type', ['licensed', 'metered'], { param: 'recurring[usage_type]' }) ?? 'licensed';
  const meter = str(r, 'meter', { param: 'recurring[meter]' }) ?? null;
  if (usageType === 'metered') {
    if (!meter) throw missingParam('recurring[meter]');
    if (!ctx.fake.store.get(ctx.account, meter, 'billing.meter')) throw invalidRequest(`No such billing meter: '${meter}'`, { code: 'resource_missing', param: 'recurring[meter]' });
  } else if (meter) {
    throw invalidRequest('`recurring[meter]` can only be set when `recurring[usage_type]` is `metered`.', { param: 'recurring[meter]' });
  }
  return {
    interval,
    interval_count: int(r, 'interval_count', { param: 'recurring[interval_count]', min: 1 }) ?? 1,
    meter,
    trial_period_days: null,
    usage_type: usageType,
  };
}

export const priceRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/prices',
    handler: (ctx) => {
      rejectUnknown(ctx.params, CREATE);
      if (ctx.params.billing_scheme === 'tiered') throw invalidRequest('fake-stripe: tiered prices are not implemented', { param: 'billing_scheme' });
      const cur = currency(ctx);
      let productId = str(ctx.params, 'product');
      const productData = obj(ctx.params, 'product_data');
      if (productId && productData) throw invalidRequest('You may only specify one of these parameters: product, product_data.', { code: 'parameters_exclusive', param: 'product' });
      if (productId) find(ctx, 'product', 'product', productId, 'product');
      else if (productData) productId = createProduct(ctx, str(productData, 'name', { required: true, param: 'product_data[name]' }) as string, { metadata: metadata(productData) }).id;
      else throw missingParam('product');
      let unitAmount = int(ctx.params, 'unit_amount', { min: 0 });
      const decimal = str(ctx.params, 'unit_amount_decimal');
      if (unitAmount === undefined && decimal !== undefined) unitAmount = Math.round(Number(decimal));
      if (unitAmount === undefined) throw missingParam('unit_amount');
      const rec = recurring(ctx);
      const lookupKey = str(ctx.params, 'lookup_key') ?? null;
      if (lookupKey) {
        const holder = ctx.fake.store.all(ctx.account, 'price').find((p) => p.lookup_key === lookupKey);
        if (holder) {
          if (!bool(ctx.params, 'transfer_lookup_key')) throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, { param: 'lookup_key' });
          holder.lookup_key = null;
        }
      }
      const price: StripeObject = {
        id: randomId('price', 24),
        object: 'price',
        active: bool(ctx.params, 'active') ?? true,
        billing_scheme: 'per_unit',
        created: ctx.fake.now(),
        currency: cur,
        custom_unit_amount: null,
        livemode: false,
        lookup_key: lookupKey,
        metadata: metadata(ctx.params),
        nickname: str(ctx.params, 'nickname') ?? null,
        product: productId,
        recurring: rec,
        tax_behavior: str(ctx.params, 'tax_behavior') ?? 'unspecified',
        tiers_mode: null,
        transform_quantity: null,
        type: rec ? 'recurring' : 'one_time',
        unit_amount: unitAmount,
        unit_amount_decimal: decimal ?? String(unitAmount),
      };
      return respond(ctx, ctx.fake.store.put(ctx.account, price));
    },
  },
  { method: 'GET', path: '/v1/prices/:id', handler: (ctx) => respond(ctx, find(ctx, 'price', 'price', ctx.path.id)) },
  {
    method: 'POST',
    path: '/v1/prices/:id',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['active', 'metadata', 'nickname', 'lookup_key', 'transfer_lookup_key', 'tax_behavior']);
      const price = find(ctx, 'price', 'price', ctx.path.id);
      const active = bool(ctx.params, 'active');
      if (active !== undefined) price.active = active;
      const nickname = str(ctx.params, 'nickname');
      if (nickname !== undefined) price.nickname = nickname || null;
      const lookupKey = str(ctx.params, 'lookup_key');
      if (lookupKey !== undefined) {
        const holder = ctx.fake.store.all(ctx.account, 'price').find((p) => p.lookup_key === lookupKey && p.id !== price.id);
        if (holder && lookupKey) {
          if (!bool(ctx.params, 'transfer_lookup_key')) throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, { param: 'lookup_key' });
          holder.lookup_key = null;
        }
        price.lookup_key = lookupKey || null;
      }
      price.metadata = metadata(ctx.params, price.metadata as Record<string, string>);
      return respond(ctx, price);
    },
  },
  {
    method: 'GET',
    path: '/v1/prices',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['active', 'product', 'type', 'currency', 'lookup_keys', 'limit', 'starting_after', 'ending_before', 'created', 'recurring']);
      const active = bool(ctx.params, 'active');
      const product = str(ctx.params, 'product');
      const type = oneOf(ctx.params, 'type', ['one_time', 'recurring']);
      const cur = str(ctx.params, 'currency');
      const lookupKeys = arr(ctx.params, 'lookup_keys')?.map(String);
      const items = ctx.fake.store.all(ctx.account, 'price').filter((p) =>
        (active === undefined || p.active === active) &&
        (product === undefined || p.product === product) &&
        (type === undefined || p.type === type) &&
        (cur === undefined || p.currency === cur) &&
        (lookupKeys === undefined || lookupKeys.includes(p.lookup_key as string)));
      return respondList(ctx, items, '/v1/prices');
    },
  },
];
