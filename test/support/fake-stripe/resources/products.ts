import type { Ctx } from '../fake.ts';
import { invalidRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { bool, metadata, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { randomId } from '../store.ts';
import { find, respond, respondList } from './common.ts';

const WRITABLE = ['name', 'description', 'active', 'metadata', 'unit_label', 'statement_descriptor', 'tax_code', 'url', 'images', 'id'];

export function createProduct(ctx: Ctx, name: string, fields: Partial<StripeObject> = {}): StripeObject {
  const now = ctx.fake.now();
  return ctx.fake.store.put(ctx.account, {
    id: randomId('prod', 14),
    object: 'product',
    active: true,
    created: now,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    type: 'service',
    unit_label: null,
    updated: now,
    url: null,
    ...fields,
  });
}

export const productRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/products',
    handler: (ctx) => {
      rejectUnknown(ctx.params, WRITABLE);
      const name = str(ctx.params, 'name', { required: true }) as string;
      const fields: Partial<StripeObject> = {
        description: str(ctx.params, 'description') ?? null,
        active: bool(ctx.params, 'active') ?? true,
        metadata: metadata(ctx.params),
        unit_label: str(ctx.params, 'unit_label') ?? null,
      };
      const id = str(ctx.params, 'id');
      if (id) {
        if (ctx.fake.store.get(ctx.account, id)) {
          throw invalidRequest('Product already exists.', { code: 'resource_already_exists', param: 'id' });
        }
        fields.id = id;
      }
      return respond(ctx, createProduct(ctx, name, fields));
    },
  },
  { method: 'GET', path: '/v1/products/:id', handler: (ctx) => respond(ctx, find(ctx, 'product', 'product', ctx.path.id)) },
  {
    method: 'POST',
    path: '/v1/products/:id',
    handler: (ctx) => {
      rejectUnknown(ctx.params, [...WRITABLE.filter((k) => k !== 'id'), 'default_price']);
      const product = find(ctx, 'product', 'product', ctx.path.id);
      for (const key of ['name', 'description', 'unit_label']) {
        const v = str(ctx.params, key);
        if (v !== undefined) product[key] = v === '' && key !== 'name' ? null : v;
      }
      const active = bool(ctx.params, 'active');
      if (active !== undefined) product.active = active;
      const defaultPrice = str(ctx.params, 'default_price');
      if (defaultPrice !== undefined) {
        if (defaultPrice !== '') find(ctx, 'price', 'price', defaultPrice, 'default_price');
        product.default_price = defaultPrice || null;
      }
      product.metadata = metadata(ctx.params, product.metadata as Record<string, string>);
      product.updated = ctx.fake.now();
      return respond(ctx, product);
    },
  },
  {
    method: 'GET',
    path: '/v1/products',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['active', 'limit', 'starting_after', 'ending_before', 'ids', 'created', 'url', 'shippable']);
      const active = bool(ctx.params, 'active');
      const items = ctx.fake.store.all(ctx.account, 'product').filter((p) => active === undefined || p.active === active);
      return respondList(ctx, items, '/v1/products');
    },
  },
];
