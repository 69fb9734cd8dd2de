import type { Permission } from '@parley/db';

/** Who is making a request. Resolved once per request by auth/authenticate.ts. */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'provider' }
  | AgentViewer
  | CustomerViewer;

export interface AgentViewer {
  kind: 'agent';
  tenantId: string;
  userId: string;
  isAdmin: boolean;
  /** Set when the request is authenticated by an API key acting for its creator. */
  apiKey: { id: string; scopes: ApiKeyScope[] } | null;
  sessionId: string | null;
}

export interface CustomerViewer {
  kind: 'customer';
  tenantId: string;
  customerUserId: string;
  companyId: string | null;
  seesCompanyTickets: boolean;
  sessionId: string;
}

export const ApiKeyScopes = ['tickets:read', 'tickets:write', 'admin'] as const;
export type ApiKeyScope = (typeof ApiKeyScopes)[number];

export type TenantViewer = AgentViewer | CustomerViewer;

export function isTenantViewer(v: Viewer): v is TenantViewer {
  return v.kind === 'agent' || v.kind === 'customer';
}

/** The actor recorded in history rows. */
export type Actor = { userId?: string; customerUserId?: string };

export function actorOf(v: TenantViewer): Actor {
  return v.kind === 'agent' ? { userId: v.userId } : { customerUserId: v.customerUserId };
}

export type QueuePermissions = Map<string, Set<Permission>>;
