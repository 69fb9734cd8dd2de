// In-memory objects, one scope per account: '' is the platform, 'acct_…' a connected account
// (what the `Stripe-Account` header selects). Objects are stored as plain JSON and copied out.
import { randomBytes } from 'node:crypto';
import { invalidRequest } from './errors.ts';
import type { Params } from './params.ts';
import { int, str } from './params.ts';

export type StripeObject = { object: string; id?: string; [key: string]: unknown };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}

/** A deep copy without the fake's own bookkeeping (top-level keys starting with `_`). */
export function clone<T>(value: T): T {
  const copy = structuredClone(value);
  if (copy && typeof copy === 'object' && !Array.isArray(copy)) {
    for (const key of Object.keys(copy)) if (key.startsWith('_')) delete (copy as Record<string, unknown>)[key];
  }
  return copy;
}

type Entry = { seq: number; value: StripeObject };

export class Store {
  private scopes = new Map<string, Map<string, Entry>>();
  private seq = 0;

  private scope(account: string | null): Map<string, Entry> {
    const key = account ?? '';
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = new Map();
      this.scopes.set(key, scope);
    }
    return scope;
  }

  /** Inserts or replaces; the object is kept by reference so handlers can mutate it in place. */
  put<T extends StripeObject>(account: string | null, value: T): T {
    const scope = this.scope(account);
    const id = value.id as string;
    const existing = scope.get(id);
    scope.set(id, { seq: existing?.seq ?? ++this.seq, value });
    return value;
  }

  get(account: string | null, id: string, object?: string): StripeObject | undefined {
    const entry = this.scope(account).get(id);
    if (!entry) return undefined;
    if (object && entry.value.object !== object) return undefined;
    return entry.value;
  }

  /** Newest first, like every Stripe list. */
  all(account: string | null, object: string): StripeObject[] {
    return [...this.scope(account).values()]
      .filter((e) => e.value.object === object)
      .sort((a, b) => b.seq - a.seq)
      .map((e) => e.value);
  }

  /** Every (account, object) pair of a type, across scopes — for clock-driven transitions. */
  everywhere(object: string): Array<{ account: string | null; value: StripeObject }> {
    const out: Array<{ account: string | null; value: StripeObject }> = [];
    for (const [key, scope] of this.scopes) {
      for (const e of scope.values()) if (e.value.object === object) out.push({ account: key === '' ? null : key, value: e.value });
    }
    return out;
  }

  clear(): void {
    this.scopes.clear();
  }
}

export type ListObject = { object: 'list'; data: StripeObject[]; has_more: boolean; url: string };

/** Cursor pagination: `limit` (1–100, default 10), `starting_after`, `ending_before`. */
export function paginate(items: StripeObject[], params: Params, url: string): ListObject {
  const limit = int(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('Invalid limit: must be between 1 and 100', { param: 'limit' });
  const after = str(params, 'starting_after');
  const before = str(params, 'ending_before');
  let data = items;
  if (after) {
    const i = items.findIndex((o) => o.id === after);
    if (i < 0) throw invalidRequest(`No such object: '${after}'`, { code: 'resource_missing', param: 'starting_after' });
    data = items.slice(i + 1);
  } else if (before) {
    const i = items.findIndex((o) => o.id === before);
    if (i < 0) throw invalidRequest(`No such object: '${before}'`, { code: 'resource_missing', param: 'ending_before' });
    const start = Math.max(0, i - limit);
    return { object: 'list', data: items.slice(start, i).map(clone), has_more: start > 0, url };
  }
  return { object: 'list', data: data.slice(0, limit).map(clone), has_more: data.length > limit, url };
}

/**
 * `expand[]=customer`, `expand[]=data.customer`, `expand[]=latest_invoice.payment_intent`: replaces
 * an id with the object it names (looked up in the same account). Stripe refuses to expand a field
 * that holds no id; so does this.
 */
export function expand(store: Store, account: string | null, root: unknown, paths: string[]): void {
  for (const path of paths) {
    if (path.split('.').length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property. Property: ${path}`, { param: 'expand' });
    expandPath(store, account, root, path.split('.'), path);
  }
}

function expandPath(store: Store, account: string | null, node: unknown, segments: string[], full: string): void {
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const item of node) expandPath(store, account, item, segments, full);
    return;
  }
  if (typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  const [head, ...rest] = segments;
  if (!(head in record)) throw invalidRequest(`This property cannot be expanded (${full}).`, { param: 'expand' });
  let value = record[head];
  if (rest.length === 0 || typeof value === 'string') {
    if (typeof value === 'string') {
      const found = store.get(account, value);
      if (!found) throw invalidRequest(`This property cannot be expanded (${full}).`, { param: 'expand' });
      value = clone(found);
      record[head] = value;
    } else if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw invalidRequest(`This property cannot be expanded (${full}).`, { param: 'expand' });
    }
  }
  if (rest.length > 0) expandPath(store, account, value, rest, full);
}
