// Turns a batch of ticket events by someone else into short notices ("Anna replied").
import type { LiveTicketEvent } from '#lib/graphql/live.ts';
import type { AreaKey } from '#lib/i18n/areas/index.ts';

export interface Notice {
	key: AreaKey;
	/** The actor's id (null: customer or system); the page resolves the name */
	actorUserId: string | null;
}

export interface ArticleFacts {
	visibleToCustomer: boolean;
	channel: string;
}

const CHANGE_KEYS: Record<string, AreaKey> = {
	state: 'live.stateChanged',
	priority: 'live.priorityChanged',
	queue: 'live.queueChanged',
	owner: 'live.ownerChanged',
	responsible: 'live.responsibleChanged'
};

/** `article(id)` looks the new article up in the reloaded thread (null if not visible/loaded). */
export function noticesFor(batch: LiveTicketEvent[], article: (id: string) => ArticleFacts | null): Notice[] {
	const out: Notice[] = [];
	const add = (key: AreaKey, actorUserId: string | null) => {
		if (!out.some((n) => n.key === key && n.actorUserId === actorUserId)) out.push({ key, actorUserId });
	};
	// Sending an article locks the ticket for its author: say "replied", not also "locked".
	const wrote = new Set(batch.filter((e) => e.kind === 'ARTICLE_ADDED').map((e) => e.actorUserId));
	for (const e of batch) {
		const actor = e.actorUserId ?? null;
		switch (e.kind) {
			case 'ARTICLE_ADDED': {
				const a = e.articleId ? article(e.articleId) : null;
				if (!a) add('live.articleAdded', actor);
				else if (a.channel === 'PHONE') add('live.phoned', actor);
				else add(a.visibleToCustomer ? 'live.replied' : 'live.noted', actor);
				break;
			}
			case 'TICKET_UPDATED': {
				const keys = (e.changes ?? []).map((c) => CHANGE_KEYS[c]).filter(Boolean);
				if (keys.length === 0) add('live.updated', actor);
				for (const k of keys) add(k, actor);
				break;
			}
			case 'TICKET_LOCKED':
				if (!wrote.has(e.actorUserId)) add('live.locked', actor);
				break;
			case 'TICKET_UNLOCKED':
				if (e.changes?.includes('lock_expired')) add('live.lockExpired', null);
				else add('live.unlocked', actor);
				break;
			case 'TICKET_MERGED':
				add('live.merged', actor);
				break;
			default:
				break; // SLA and reminder events only refresh the page
		}
	}
	return out;
}
