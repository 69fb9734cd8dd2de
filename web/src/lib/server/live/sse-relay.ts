import { createClient, type Client } from 'graphql-ws';
import { config } from '../config.ts';

/** One upstream subscription forwarded as SSE events named `event`. */
export interface RelayedSubscription {
	event: string;
	query: string;
	variables?: Record<string, unknown>;
}

export interface RelayOptions {
	/** Session token of the browser (from the httpOnly cookie); sent in graphql-ws connection_init. */
	token: string;
	/** Aborted when the browser goes away (request.signal). */
	signal?: AbortSignal;
	/** SSE comment lines keep proxies and the browser from timing the stream out. */
	heartbeatMs?: number;
	/** The API's graphql-ws URL (default: config.apiUrl with ws(s)://). */
	wsUrl?: string;
	/** WebSocket implementation (default: Node's global WebSocket); tests count sockets with it. */
	webSocketImpl?: typeof WebSocket;
	/** Called once when the stream ends, whichever side ended it (releases the stream quota). */
	onEnd?: () => void;
}

/** The API's GraphQL URL as a WebSocket URL (same host and path: graphql-ws runs on /graphql). */
export function wsUrlOf(apiUrl: string): string {
	const url = new URL(apiUrl);
	url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
	return url.toString();
}

const encoder = new TextEncoder();

/** One SSE frame; `data` is JSON on one line (JSON.stringify never emits raw newlines). */
export function sseFrame(event: string, data: unknown): string {
	return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Relays GraphQL subscriptions of the API to the browser as a text/event-stream: one graphql-ws
 * socket per stream (per open tab), authenticated with the session token, multiplexing all
 * `subscriptions`. Sends `ready` first, each result as its own named event, `: ping` comments
 * every `heartbeatMs`, and `closed` ({ code, message }) when the upstream ends or refuses a
 * subscription (code NOT_FOUND, FORBIDDEN, UNAUTHENTICATED: do not retry); closing the browser
 * side (cancel / abort) disposes the upstream socket. The browser reconnects (EventSource).
 */
export function relaySubscriptions(subscriptions: RelayedSubscription[], opts: RelayOptions): Response {
	let client: Client | null = null;
	let heartbeat: ReturnType<typeof setInterval> | null = null;
	let finished = false;
	const cleanup = () => {
		if (heartbeat) clearInterval(heartbeat);
		heartbeat = null;
		opts.onEnd?.();
		const c = client;
		client = null;
		// dispose() rethrows the close event when the connection was refused: nothing left to do then
		if (c) Promise.resolve(c.dispose()).catch(() => {});
	};

	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const write = (text: string) => {
				if (finished) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					finish();
				}
			};
			const finish = (reason?: { code: string; message?: string }) => {
				if (finished) return;
				if (reason) write(sseFrame('closed', reason));
				finished = true;
				cleanup();
				try {
					controller.close();
				} catch {
					// already closed by the browser
				}
			};
			if (opts.signal?.aborted) return finish();
			opts.signal?.addEventListener('abort', () => finish(), { once: true });

			client = createClient({
				url: opts.wsUrl ?? wsUrlOf(config.apiUrl),
				webSocketImpl: opts.webSocketImpl ?? WebSocket,
				lazy: true, // connects on the first subscribe below; errors reach the sinks
				retryAttempts: 0,
				connectionParams: { authorization: `Bearer ${opts.token}` },
				on: {
					connected: () => write(`retry: 3000\n${sseFrame('ready', { at: new Date().toISOString() })}`),
					closed: (e) => {
						const code = (e as { code?: number }).code;
						finish({ code: code === 4403 ? 'UNAUTHENTICATED' : 'UPSTREAM_CLOSED' });
					}
				}
			});
			for (const sub of subscriptions) {
				client.subscribe(
					{ query: sub.query, variables: sub.variables ?? {} },
					{
						next: (result) => {
							// A refused subscription (not found, forbidden) answers with errors: the stream is over.
							if (result.errors?.length) {
								const first = result.errors[0] as { message?: string; extensions?: { code?: string } };
								finish({ code: first.extensions?.code ?? 'GRAPHQL_ERROR', message: first.message });
							} else write(sseFrame(sub.event, result.data));
						},
						error: (err) => {
							const first = Array.isArray(err) ? (err[0] as { message?: string; extensions?: { code?: string } }) : null;
							const close = (err as { code?: number } | null)?.code;
							if (first) finish({ code: first.extensions?.code ?? 'GRAPHQL_ERROR', message: first.message });
							else finish({ code: close === 4403 ? 'UNAUTHENTICATED' : close ? 'UPSTREAM_CLOSED' : 'UPSTREAM_UNAVAILABLE' });
						},
						complete: () => finish({ code: 'COMPLETE' })
					}
				);
			}
			heartbeat = setInterval(() => write(': ping\n\n'), opts.heartbeatMs ?? 15_000);
		},
		cancel() {
			finished = true;
			cleanup();
		}
	});

	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no'
		}
	});
}
