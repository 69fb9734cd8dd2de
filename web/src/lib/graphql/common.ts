// Shapes shared by every area. Every API error implements `interface Error { message, code }`;
// mutation results are unions `XSuccess | SomeError` told apart by `__typename`.

export interface ApiErrorShape {
	__typename: string;
	message: string;
	code: string;
}

/** Selection used in every mutation result union to pick up any error member. */
export const ERROR_FIELDS = /* GraphQL */ `
	... on Error { message code }
`;

export interface Connection<T> {
	edges: { cursor?: string; node: T }[];
	pageInfo?: { hasNextPage: boolean; endCursor: string | null };
	totalCount?: number;
}

export function nodes<T>(c: Connection<T> | null | undefined): T[] {
	return c?.edges.map((e) => e.node) ?? [];
}

export type StateType =
	| 'NEW'
	| 'OPEN'
	| 'PENDING_REMINDER'
	| 'PENDING_AUTO_CLOSE'
	| 'CLOSED'
	| 'MERGED'
	| 'REMOVED';

export const STATE_TYPES: StateType[] = [
	'NEW',
	'OPEN',
	'PENDING_REMINDER',
	'PENDING_AUTO_CLOSE',
	'CLOSED',
	'MERGED',
	'REMOVED'
];

export type ViewerKind = 'AGENT' | 'ADMIN' | 'CUSTOMER';
