// Browser side of the SSE relay: an EventSource with reconnect. EventSource retries by itself
// after a dropped connection; when it gives up (HTTP error such as 401/502, readyState CLOSED)
// or the relay says the upstream closed, we open a new one with exponential backoff.

/** The relay's `closed` codes after which retrying cannot help. */
const FATAL = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);

export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface LiveStreamOptions {
	/** Named SSE events → handler of the parsed JSON data */
	on: Record<string, (data: unknown) => void>;
	/** Called on every (re)connection after the first: events may have been missed, reload. */
	onResync?: () => void;
	onStatus?: (status: LiveStatus) => void;
	/** First retry delay; doubles up to maxDelayMs */
	minDelayMs?: number;
	maxDelayMs?: number;
}

/** Opens `url` and keeps it open until the returned function is called. */
export function openLiveStream(url: string, opts: LiveStreamOptions): () => void {
	let source: EventSource | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let stopped = false;
	let connections = 0;
	let delay = opts.minDelayMs ?? 1000;
	const maxDelay = opts.maxDelayMs ?? 30_000;

	const retry = () => {
		source?.close();
		source = null;
		if (stopped || timer) return;
		opts.onStatus?.('offline');
		timer = setTimeout(() => {
			timer = null;
			connect();
		}, delay);
		delay = Math.min(delay * 2, maxDelay);
	};

	function connect() {
		if (stopped) return;
		opts.onStatus?.('connecting');
		const es = new EventSource(url);
		source = es;
		es.addEventListener('ready', () => {
			delay = opts.minDelayMs ?? 1000;
			opts.onStatus?.('live');
			if (connections++ > 0) opts.onResync?.();
		});
		es.addEventListener('closed', (e) => {
			const code = safeParse((e as MessageEvent).data) as { code?: string } | null;
			if (code?.code && FATAL.has(code.code)) {
				stopped = true;
				es.close();
				opts.onStatus?.('offline');
				return;
			}
			retry();
		});
		for (const [name, handler] of Object.entries(opts.on)) {
			es.addEventListener(name, (e) => {
				const data = safeParse((e as MessageEvent).data);
				if (data !== null) handler(data);
			});
		}
		es.onerror = () => {
			// CONNECTING: the browser retries on its own (a dropped stream); CLOSED: it gave up.
			if (es.readyState === EventSource.CLOSED) retry();
			else opts.onStatus?.('connecting');
		};
	}

	connect();
	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		source?.close();
		source = null;
	};
}

function safeParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}
