import type { Ctx } from '../fake.ts';
import { noSuch } from '../errors.ts';
import { expandList } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { clone, expand, paginate } from '../store.ts';

/** A copy of `obj` with the request's `expand[]` applied. */
export function respond(ctx: Ctx, obj: StripeObject, skip: string[] = []): StripeObject {
  const out = clone(obj);
  expand(ctx.fake.store, ctx.account, out, expandList(ctx.params).filter((p) => !skip.includes(p)));
  return out;
}

export function respondList(ctx: Ctx, items: StripeObject[], url: string): unknown {
  const list = paginate(items, ctx.params, url);
  expand(ctx.fake.store, ctx.account, list, expandList(ctx.params));
  return list;
}

/** The object of that type in the request's account, or Stripe's `No such <noun>`. */
export function find(ctx: Ctx, object: string, noun: string, id: string, param = 'id'): StripeObject {
  const found = ctx.fake.store.get(ctx.account, id, object);
  if (!found || found.deleted) throw noSuch(noun, id, param);
  return found;
}
