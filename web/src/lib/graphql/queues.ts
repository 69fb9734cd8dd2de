import type { StateType } from './common.ts';

export interface QueueSummary {
	id: string;
	name: string;
	ticketCounts: { stateType: StateType; count: number }[];
}

export const QUEUES = /* GraphQL */ `
	query Queues {
		queues { id name ticketCounts { stateType count } }
	}
`;
export interface QueuesResult {
	queues: QueueSummary[];
}

/** Tickets still needing work: everything not closed, merged or removed. */
export function openCount(q: QueueSummary): number {
	return q.ticketCounts
		.filter((c) => c.stateType === 'NEW' || c.stateType === 'OPEN' || c.stateType.startsWith('PENDING'))
		.reduce((sum, c) => sum + c.count, 0);
}

export function countOf(q: QueueSummary, type: StateType): number {
	return q.ticketCounts.find((c) => c.stateType === type)?.count ?? 0;
}
