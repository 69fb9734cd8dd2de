import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscription<T = any> {
  /** Everything received so far (data or errors) */
  received: Array<{ data?: T; errors?: unknown[] }>;
  /** Resolves with the next result not yet taken (fails after `ms`) */
  next(ms?: number): Promise<{ data?: T; errors?: unknown[] }>;
  /** Resolves true if nothing (more) arrives within `ms` */
  quiet(ms?: number): Promise<boolean>;
  /** Resolves when the server acknowledged the subscription (first result or a short settle) */
  close(): Promise<void>;
  closed: Promise<{ code: number; reason: string } | null>;
}

/** A graphql-ws client connection authenticated with `token` in connection_init. */
export function wsClient(wsUrl: string, token: string | null, opts: { lazy?: boolean } = {}): { client: Client; closed: Promise<{ code: number; reason: string }> } {
  let onClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => { onClosed = r; });
  const client = createClient({
    url: wsUrl, webSocketImpl: WebSocket, lazy: opts.lazy ?? false, retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: { closed: (e) => { const ev = e as { code: number; reason: string }; onClosed({ code: ev.code, reason: ev.reason }); } },
    onNonLazyError: () => {},
  });
  return { client, closed };
}

/** Subscribes and collects results. Wait for `ready` (the server has registered it) before acting. */
export async function subscribe<T = any>(wsUrl: string, token: string | null, query: string, variables: Record<string, unknown> = {}, existing?: Client): Promise<Subscription<T>> {
  const own = existing ? null : wsClient(wsUrl, token);
  const client = existing ?? own!.client;
  const received: Array<{ data?: T; errors?: unknown[] }> = [];
  let taken = 0;
  const waiters: Array<() => void> = [];
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  const dispose = client.subscribe<T>({ query, variables }, {
    next: (r) => { received.push(r as never); wake(); },
    error: (e) => { received.push({ errors: Array.isArray(e) ? e : [e] }); wake(); },
    complete: () => wake(),
  });
  const waitFor = (ms: number) => new Promise<boolean>((resolve) => {
    if (received.length > taken) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    waiters.push(() => { clearTimeout(t); resolve(true); });
  });
  // The subscribe message must reach the server and its Redis SUBSCRIBE complete before events count.
  await new Promise((r) => setTimeout(r, 300));
  return {
    received,
    async next(ms = 5000) {
      while (received.length <= taken) {
        if (!(await waitFor(ms))) throw new Error(`no subscription result within ${ms} ms (got ${received.length})`);
      }
      return received[taken++];
    },
    async quiet(ms = 800) {
      await new Promise((r) => setTimeout(r, ms));
      return received.length === taken;
    },
    async close() {
      dispose();
      if (own) await own.client.dispose();
    },
    closed: own ? own.closed : Promise.resolve(null),
  };
}
