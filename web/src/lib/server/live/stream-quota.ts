import { createHash } from 'node:crypto';

/**
 * Open live streams per session on this web instance. Each stream holds an upstream WebSocket
 * to the API, so a script (or a runaway tab) must not open hundreds. Agents have one stream per
 * open tab (ticket page, list or overview); 12 is plenty for real use.
 */
export const MAX_STREAMS_PER_SESSION = 12;

const open = new Map<string, number>();

/** Sessions are counted by a hash of their token: the raw token is not kept as a map key. */
const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Takes one stream slot; returns its release function, or null when the session is at the limit. */
export function acquireStream(token: string, max = MAX_STREAMS_PER_SESSION): (() => void) | null {
	const key = keyOf(token);
	const n = open.get(key) ?? 0;
	if (n >= max) return null;
	open.set(key, n + 1);
	let released = false;
	return () => {
		if (released) return;
		released = true;
		const left = (open.get(key) ?? 1) - 1;
		if (left <= 0) open.delete(key);
		else open.set(key, left);
	};
}

export function openStreams(token: string): number {
	return open.get(keyOf(token)) ?? 0;
}
