// Which part of a long thread the ticket view renders. The newest THREAD_PAGE articles come first;
// `?thread=N` shows the newest N (`all`: every one, up to the API's page limit) and
// `?article=<id>` (an article's permalink) widens the window until it includes that article.
// Older articles stay out of the server render and out of the hydration data: only their ids
// travel (anchors for `#article-<id>` links and the "show earlier" control's count).

/** Articles rendered when nothing asks for more. */
export const THREAD_PAGE = 25;
/** The API's largest page of articles (Ticket.articles maxSize). */
export const THREAD_MAX = 500;

/** The newest-N window the URL asks for. */
export function requestedWindow(url: URL): number {
	const raw = url.searchParams.get('thread');
	if (raw === 'all') return THREAD_MAX;
	const n = Number(raw);
	return Number.isInteger(n) && n > THREAD_PAGE ? Math.min(n, THREAD_MAX) : THREAD_PAGE;
}

/**
 * The window that also includes the article a permalink names (ids oldest first). Returns the
 * requested window when the article is unknown or already inside it.
 */
export function windowFor(ids: string[], requested: number, articleId: string | null): number {
	if (!articleId) return requested;
	const index = ids.indexOf(articleId);
	if (index < 0) return requested;
	return Math.min(THREAD_MAX, Math.max(requested, ids.length - index));
}

/** The `?thread=` value that shows `step` more earlier articles than `shown` (or all of them). */
export function nextWindow(shown: number, hidden: number, step = THREAD_PAGE * 2): string {
	return hidden <= step ? 'all' : String(shown + step);
}

/** `#article-<id>` → the id, else null. */
export function articleIdFromHash(hash: string): string | null {
	const m = /^#article-([0-9A-Za-z-]+)$/.exec(hash);
	return m ? m[1] : null;
}
