// Webhook delivery the way Stripe does it: each event POSTed as pretty-printed JSON to every
// matching endpoint, signed `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`,
// retried with backoff when the endpoint answers non-2xx or not at all. Test controls: hold and
// release in any order, resend (a duplicate with the same event id), delay, retry policy.
import { createHmac, randomBytes } from 'node:crypto';
import type { StripeObject } from './store.ts';
import { randomId } from './store.ts';

export type EndpointScope = 'account' | 'connect' | 'all';

export type EndpointOptions = {
  /** `whsec_…`; generated when omitted. */
  secret?: string;
  /** 'account' (default): the platform's own events; 'connect': events of connected accounts (with `account`); 'all': both. */
  scope?: EndpointScope;
  /** Event types to send (default `['*']`). */
  enabledEvents?: string[];
};

export type Endpoint = { id: string; url: string; secret: string; scope: EndpointScope; enabledEvents: string[] };

export type Delivery = {
  eventId: string;
  type: string;
  account: string | null;
  endpointId: string;
  url: string;
  attempt: number;
  /** HTTP status the endpoint answered, or null when the request itself failed. */
  status: number | null;
  ok: boolean;
  error?: string;
  body: string;
  signature: string;
  at: number;
};

export type FlushOrder = 'fifo' | 'reverse' | 'shuffle' | string[];

type Held = { event: StripeObject; endpoint: Endpoint };

export function signPayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export class Webhooks {
  readonly endpoints: Endpoint[] = [];
  /** Every attempt, in the order they finished. */
  readonly deliveries: Delivery[] = [];
  private held: Held[] = [];
  private paused = false;
  private delayMs = 0;
  private copies = 1;
  private retry = { maxAttempts: 3, backoffMs: 50 };
  private timeoutMs = 5_000;
  private chains = new Map<string, Promise<void>>();
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private waiters: Array<() => void> = [];
  private closed = false;

  /** Registers an endpoint and returns its signing secret. */
  addEndpoint(url: string, options: EndpointOptions | string = {}): string {
    return this.register(url, options).secret;
  }

  register(url: string, options: EndpointOptions | string = {}): Endpoint {
    const opts = typeof options === 'string' ? { secret: options } : options;
    const secret = opts.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const endpoint = { id: randomId('we', 24), url, secret, scope: opts.scope ?? 'account', enabledEvents: opts.enabledEvents ?? ['*'] };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  /** Removes endpoints by URL or id. */
  removeEndpoint(urlOrId: string): void {
    for (let i = this.endpoints.length - 1; i >= 0; i--) {
      if (this.endpoints[i].url === urlOrId || this.endpoints[i].id === urlOrId) this.endpoints.splice(i, 1);
    }
  }

  /** Hold events instead of delivering them, until `flush()`/`resume()`. */
  pause(): void {
    this.paused = true;
  }

  /** Deliver what is held (in `order`) and go back to delivering at once. */
  async resume(order: FlushOrder = 'fifo'): Promise<void> {
    this.paused = false;
    await this.flush(order);
  }

  /** Events currently held (one entry per event and endpoint). */
  pending(): StripeObject[] {
    return this.held.map((h) => h.event);
  }

  /**
   * Delivers the held events in the given order, one after the other, and waits for them:
   * 'reverse' and 'shuffle' simulate Stripe's "no ordering guarantee"; an array of event ids
   * picks exactly which held events go, in that order (the rest stay held).
   */
  async flush(order: FlushOrder = 'fifo'): Promise<void> {
    let batch: Held[];
    if (Array.isArray(order)) {
      batch = [];
      for (const id of order) {
        const picked = this.held.filter((h) => h.event.id === id);
        if (picked.length === 0) throw new Error(`fake-stripe: no held event ${id}`);
        batch.push(...picked);
      }
      this.held = this.held.filter((h) => !order.includes(h.event.id as string));
    } else {
      batch = this.held;
      this.held = [];
      if (order === 'reverse') batch.reverse();
      if (order === 'shuffle') {
        for (let i = batch.length - 1; i > 0; i--) {
          const j = Math.floor(Math.random() * (i + 1));
          [batch[i], batch[j]] = [batch[j], batch[i]];
        }
      }
    }
    for (const h of batch) await this.track(this.attempt(h.event, h.endpoint, 1));
    await this.idle();
  }

  /** Sends an already-sent event again (same id, fresh signature) — what a Stripe retry or "Resend" looks like. */
  async resend(event: StripeObject): Promise<void> {
    for (const endpoint of this.matching(event)) await this.track(this.attempt(event, endpoint, 1));
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Deliver every event `copies` times in a row (Stripe's at-least-once delivery, made certain). */
  setDuplicates(copies: number): void {
    this.copies = Math.max(1, Math.floor(copies));
  }

  /** Stripe retries for days; here `maxAttempts` tries with `backoffMs * 2^(n-1)` between them. */
  setRetry(policy: { maxAttempts?: number; backoffMs?: number; timeoutMs?: number }): void {
    if (policy.maxAttempts !== undefined) this.retry.maxAttempts = policy.maxAttempts;
    if (policy.backoffMs !== undefined) this.retry.backoffMs = policy.backoffMs;
    if (policy.timeoutMs !== undefined) this.timeoutMs = policy.timeoutMs;
  }

  /** Resolves when nothing is being delivered and no retry is scheduled (held events don't count). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      if (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      else await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits until `count` successful deliveries match (type string or predicate). */
  async waitFor(match: string | ((d: Delivery) => boolean), opts: { count?: number; timeoutMs?: number } = {}): Promise<Delivery[]> {
    const pred = typeof match === 'string' ? (d: Delivery) => d.type === match : match;
    const count = opts.count ?? 1;
    const deadline = Date.now() + (opts.timeoutMs ?? 5_000);
    for (;;) {
      const found = this.deliveries.filter((d) => d.ok && pred(d));
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`fake-stripe: timed out waiting for ${count} delivery(ies) of ${String(match)}; got ${found.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  dispatch(event: StripeObject): number {
    const endpoints = this.matching(event);
    for (const endpoint of endpoints) {
      if (this.paused) {
        this.held.push({ event, endpoint });
        continue;
      }
      const previous = this.chains.get(endpoint.id) ?? Promise.resolve();
      const copies = this.copies;
      const next = previous.then(async () => {
        for (let i = 0; i < copies; i++) await this.attempt(event, endpoint, 1);
      });
      this.chains.set(endpoint.id, next);
      this.track(next);
    }
    return endpoints.length;
  }

  matching(event: StripeObject): Endpoint[] {
    const connect = typeof event.account === 'string';
    return this.endpoints.filter((e) => {
      if (e.scope === 'account' && connect) return false;
      if (e.scope === 'connect' && !connect) return false;
      return e.enabledEvents.includes('*') || e.enabledEvents.includes(event.type as string);
    });
  }

  reset(): void {
    this.endpoints.length = 0;
    this.deliveries.length = 0;
    this.held = [];
    this.paused = false;
    this.delayMs = 0;
    this.copies = 1;
    this.retry = { maxAttempts: 3, backoffMs: 50 };
    this.timeoutMs = 5_000;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.chains.clear();
    this.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.wake();
    await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<void>): Promise<void> {
    const guarded = p.catch(() => {});
    this.inFlight.add(guarded);
    guarded.finally(() => {
      this.inFlight.delete(guarded);
      this.wake();
    });
    return guarded;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async attempt(event: StripeObject, endpoint: Endpoint, attempt: number): Promise<void> {
    if (this.closed) return;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const body = JSON.stringify(event, null, 2);
    const signature = signPayload(body, endpoint.secret);
    const delivery: Delivery = {
      eventId: event.id as string,
      type: event.type as string,
      account: (event.account as string | undefined) ?? null,
      endpointId: endpoint.id,
      url: endpoint.url,
      attempt,
      status: null,
      ok: false,
      body,
      signature,
      at: Date.now(),
    };
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signature,
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      delivery.status = res.status;
      delivery.ok = res.status >= 200 && res.status < 300;
    } catch (err) {
      delivery.error = err instanceof Error ? err.message : String(err);
    }
    this.deliveries.push(delivery);
    if (!delivery.ok && attempt < this.retry.maxAttempts && !this.closed) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.track(this.attempt(event, endpoint, attempt + 1));
      }, this.retry.backoffMs * 2 ** (attempt - 1));
      this.timers.add(timer);
    }
  }
}
