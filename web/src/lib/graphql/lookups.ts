import type { StateType } from './common.ts';

export interface TicketStateOption {
	id: string;
	name: string;
	type: StateType;
}
export interface PriorityOption {
	id: string;
	name: string;
	level: number;
}
export interface AgentOption {
	id: string;
	name: string;
}
export type TemplateKind = 'ANSWER' | 'CREATE' | 'FORWARD' | 'NOTE' | 'SNIPPET';
export interface TemplateOption {
	id: string;
	name: string;
	body: string;
	kind: TemplateKind;
}

/** Everything the agent ticket list and ticket view need for their pickers, in one round trip. */
export const AGENT_LOOKUPS = /* GraphQL */ `
	query AgentLookups {
		ticketStates { id name type }
		priorities { id name level }
		agents { id name }
		queues { id name }
	}
`;
export interface AgentLookupsResult {
	ticketStates: TicketStateOption[];
	priorities: PriorityOption[];
	agents: AgentOption[];
	queues: { id: string; name: string }[];
}

export const TEMPLATES = /* GraphQL */ `
	query Templates {
		templates { id name body kind }
	}
`;
export interface TemplatesResult {
	templates: TemplateOption[];
}
