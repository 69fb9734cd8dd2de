// The fake's state: objects, clock, events. Resource handlers receive a Ctx built per request.
import type { Params } from './params.ts';
import type { StripeObject } from './store.ts';
import { Store, clone, randomId } from './store.ts';
import { Webhooks } from './webhooks.ts';

export type Ctx = {
  fake: Fake;
  /** Connected account from `Stripe-Account`, or null for the platform. */
  account: string | null;
  params: Params;
  path: Record<string, string>;
  requestId: string;
  idempotencyKey: string | null;
};

export type Handler = (ctx: Ctx) => unknown;

export class Fake {
  readonly store = new Store();
  readonly webhooks = new Webhooks();
  readonly apiVersion: string;
  readonly secretKey: string;
  private clockOffset = 0;
  /** Hooks run by `advanceClock` (subscription renewals, session expiry…), registered by resources. */
  readonly tickers: Array<(fake: Fake) => void> = [];
  /** Every event emitted, in order, with the account it happened in. */
  readonly eventLog: Array<{ account: string | null; event: StripeObject }> = [];

  constructor(opts: { apiVersion: string; secretKey: string }) {
    this.apiVersion = opts.apiVersion;
    this.secretKey = opts.secretKey;
  }

  /** Unix seconds on the fake clock. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  advanceClock(seconds: number): void {
    this.clockOffset += seconds;
    for (const tick of this.tickers) tick(this);
  }

  resetClock(): void {
    this.clockOffset = 0;
  }

  /**
   * Records an event (retrievable through /v1/events in the account it happened in) and hands it
   * to webhook delivery. `data.object` is a snapshot taken now, as in Stripe.
   */
  emit(account: string | null, type: string, object: StripeObject, previous?: Record<string, unknown>, request?: { id: string | null; idempotency_key: string | null }): StripeObject {
    const event: StripeObject = {
      id: randomId('evt'),
      object: 'event',
      ...(account ? { account } : {}),
      api_version: this.apiVersion,
      created: this.now(),
      data: { object: clone(object), ...(previous && Object.keys(previous).length > 0 ? { previous_attributes: clone(previous) } : {}) },
      livemode: false,
      pending_webhooks: 0,
      request: request ?? { id: null, idempotency_key: null },
      type,
    };
    event.pending_webhooks = this.webhooks.matching(event).length;
    this.store.put(account, event);
    this.eventLog.push({ account, event });
    this.webhooks.dispatch(event);
    return event;
  }

  /** Emits `<type>` with `previous_attributes` holding the top-level fields `mutate` changed. */
  update<T extends StripeObject>(account: string | null, object: T, mutate: (o: T) => void, type?: string, request?: Ctx): T {
    const before = clone(object);
    mutate(object);
    if (type) {
      const previous: Record<string, unknown> = {};
      for (const key of Object.keys({ ...before, ...object })) {
        if (JSON.stringify(before[key]) !== JSON.stringify(object[key])) previous[key] = before[key] ?? null;
      }
      this.emit(account, type, object, previous, request ? { id: request.requestId, idempotency_key: request.idempotencyKey } : undefined);
    }
    return object;
  }
}

export function requestOf(ctx: Ctx): { id: string; idempotency_key: string | null } {
  return { id: ctx.requestId, idempotency_key: ctx.idempotencyKey };
}
