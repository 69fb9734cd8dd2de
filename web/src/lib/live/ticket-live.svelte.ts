// One open ticket page, live: ticket events (batched) and presence from the SSE relay, and our
// own presence heartbeat (VIEWING, or REPLYING while the agent types in the composer).
import type { LivePresence, LiveTicketEvent, PresenceActivity } from '#lib/graphql/live.ts';
import { openLiveStream, type LiveStatus } from './live-stream.ts';

/** Heartbeat period; the API forgets an entry 45 s after the last one. */
export const HEARTBEAT_MS = 15_000;
/** Typing this recently counts as "replying". */
export const REPLYING_FOR_MS = 20_000;
/** Events arriving this close together become one reload (a reply also locks the ticket). */
const BATCH_MS = 250;

export interface TicketLiveOptions {
	ticketId: string;
	viewerId: string | null;
	/** Events by someone else (or by the system / a customer), batched */
	onEvents(batch: LiveTicketEvent[]): void;
	/** After a reconnect: something may have been missed */
	onResync(): void;
}

export class TicketLive {
	/** Other agents on this ticket (the viewer filtered out) */
	others: LivePresence[] = $state([]);
	status: LiveStatus = $state('connecting');

	#opts: TicketLiveOptions;
	#close: (() => void) | null = null;
	#heartbeat: ReturnType<typeof setInterval> | null = null;
	#batch: LiveTicketEvent[] = [];
	#batchTimer: ReturnType<typeof setTimeout> | null = null;
	#typedAt = 0;
	#announced: PresenceActivity | null = null;

	constructor(opts: TicketLiveOptions) {
		this.#opts = opts;
	}

	start() {
		const { ticketId } = this.#opts;
		this.#close = openLiveStream(`/live/tickets/${encodeURIComponent(ticketId)}`, {
			on: {
				ticket: (data) => this.#onEvent((data as { ticketChanged: LiveTicketEvent }).ticketChanged),
				presence: (data) => {
					const list = (data as { ticketPresence: LivePresence[] }).ticketPresence ?? [];
					this.others = list.filter((p) => p.agentId !== this.#opts.viewerId);
				}
			},
			onResync: () => {
				this.#announce(this.#activity(), true);
				this.#opts.onResync();
			},
			onStatus: (s) => (this.status = s)
		});
		this.#announce('VIEWING', true);
		this.#heartbeat = setInterval(() => this.#announce(this.#activity(), true), HEARTBEAT_MS);
	}

	/** Call on every keystroke in the composer; `hasText` false when it was emptied (or sent). */
	typing(hasText: boolean) {
		this.#typedAt = hasText ? Date.now() : 0;
		const now = this.#activity();
		if (now !== this.#announced) this.#announce(now, false);
	}

	stop() {
		this.#close?.();
		this.#close = null;
		if (this.#heartbeat) clearInterval(this.#heartbeat);
		if (this.#batchTimer) clearTimeout(this.#batchTimer);
		this.#heartbeat = this.#batchTimer = null;
		this.#post('LEFT');
	}

	#activity(): PresenceActivity {
		return this.#typedAt && Date.now() - this.#typedAt < REPLYING_FOR_MS ? 'REPLYING' : 'VIEWING';
	}

	#announce(activity: PresenceActivity, heartbeat: boolean) {
		if (!heartbeat && activity === this.#announced) return;
		this.#announced = activity;
		this.#post(activity);
	}

	#post(activity: PresenceActivity | 'LEFT') {
		void fetch(`/live/tickets/${encodeURIComponent(this.#opts.ticketId)}/presence`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ activity }),
			keepalive: activity === 'LEFT'
		}).catch(() => {
			// offline: the next heartbeat tries again
		});
	}

	#onEvent(event: LiveTicketEvent | undefined) {
		if (!event || (event.actorUserId && event.actorUserId === this.#opts.viewerId)) return;
		this.#batch.push(event);
		this.#batchTimer ??= setTimeout(() => {
			this.#batchTimer = null;
			const batch = this.#batch.splice(0);
			if (batch.length) this.#opts.onEvents(batch);
		}, BATCH_MS);
	}
}
