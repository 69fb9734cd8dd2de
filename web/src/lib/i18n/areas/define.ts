import type { Message } from '../types.ts';

/**
 * One feature area's messages in every locale. Each area lives in its own file so features can
 * add strings without touching the core catalogues; German, Russian and Romanian must define
 * exactly the English keys (checked by the type).
 */
export function defineArea<const E extends Record<string, Message>>(area: {
	en: E;
	de: { [K in keyof E]: Message };
	ru: { [K in keyof E]: Message };
	ro: { [K in keyof E]: Message };
}) {
	return area;
}
