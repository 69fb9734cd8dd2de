export const PORTAL_QUEUES = /* GraphQL */ `
	query PortalQueues { portalQueues { id name } }
`;
export interface PortalQueuesResult {
	portalQueues: { id: string; name: string }[];
}
