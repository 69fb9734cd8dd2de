// Subscription items as requested (`items[i]`, Checkout `line_items[i]`) and read back.
import type { Ctx } from '../fake.ts';
import { invalidRequest, missingParam } from '../errors.ts';
import type { Params } from '../params.ts';
import { int, metadata, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { clone } from '../store.ts';
import { find } from './common.ts';

export type ItemInput = { price: StripeObject; quantity: number | null; metadata: Record<string, string> };

export function isMetered(price: StripeObject): boolean {
  return (price.recurring as { usage_type?: string } | null)?.usage_type === 'metered';
}

/** Reads `items[i][price|quantity|metadata]` (also used for Checkout line items). */
export function readItems(ctx: Ctx, raw: unknown[], field: string, opts: { requireRecurring: boolean }): ItemInput[] {
  return raw.map((entry, i) => {
    const item = (entry ?? {}) as Params;
    const priceId = str(item, 'price', { param: `${field}[${i}][price]` });
    if (!priceId) throw missingParam(`${field}[${i}][price]`);
    const price = find(ctx, 'price', 'price', priceId, `${field}[${i}][price]`);
    if (opts.requireRecurring && price.type !== 'recurring') {
      throw invalidRequest(`The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`, { param: `${field}[${i}][price]` });
    }
    if (!price.active) throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, { param: `${field}[${i}][price]` });
    let quantity = int(item, 'quantity', { param: `${field}[${i}][quantity]`, min: 0 }) ?? null;
    if (isMetered(price)) {
      if (quantity !== null) throw invalidRequest(`Quantity should not be specified where usage_type is \`metered\`. Remove quantity from \`${field}[${i}]\`.`, { param: `${field}[${i}][quantity]` });
    } else {
      quantity ??= 1;
    }
    return { price: clone(price), quantity, metadata: metadata(item) };
  });
}

/** The items of a subscription object. */
export function subscriptionItems(sub: StripeObject): StripeObject[] {
  return (sub.items as { data: StripeObject[] }).data;
}
