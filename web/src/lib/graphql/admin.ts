// Tenant administration (read-only for now: the admin pages list what the API has; editing is not built).
import type { TemplateKind } from './lookups.ts';

export const ADMIN_QUEUES = /* GraphQL */ `
	query AdminQueues {
		queues { id name comment active openToCustomers followUpOption unlockTimeoutMinutes ticketPrefix }
	}
`;
export interface AdminQueuesResult {
	queues: {
		id: string;
		name: string;
		comment: string | null;
		active: boolean;
		openToCustomers: boolean;
		followUpOption: 'NEW_TICKET' | 'POSSIBLE' | 'REJECT';
		unlockTimeoutMinutes: number | null;
		ticketPrefix: string | null;
	}[];
}

export const ADMIN_AGENTS = /* GraphQL */ `
	query AdminAgents { agents(includeInactive: true) { id name email admin active } }
`;
export interface AdminAgentsResult {
	agents: { id: string; name: string; email: string; admin: boolean; active: boolean }[];
}

export const ADMIN_TEMPLATES = /* GraphQL */ `
	query AdminTemplates { templates { id name kind body } }
`;
export interface AdminTemplatesResult {
	templates: { id: string; name: string; kind: TemplateKind; body: string }[];
}
