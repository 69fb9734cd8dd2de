import type { QueueAccess } from '../tickets/queue-access.ts';
import type { Viewer } from '../auth/viewer.ts';

/** What happened to a ticket. One stream feeds subscriptions, the worker (SLA, webhooks) and partners. */
export const TICKET_EVENT_KINDS = [
  'TICKET_CREATED', 'TICKET_UPDATED', 'ARTICLE_ADDED', 'TICKET_LOCKED', 'TICKET_UNLOCKED', 'TICKET_MERGED',
  'SLA_WARNING', 'SLA_BREACH', 'PENDING_REMINDER',
] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

/** Kinds customers never receive (internal workflow). */
const AGENT_ONLY: ReadonlySet<TicketEventKind> = new Set(['TICKET_LOCKED', 'TICKET_UNLOCKED', 'SLA_WARNING', 'SLA_BREACH', 'PENDING_REMINDER']);

/**
 * An event as published (JSON on Redis, payload of the fan-out job, body of a webhook): ids and
 * facts only, never ticket content; subscribers load what they need with their own permissions.
 */
export interface TicketEvent {
  id: string;
  kind: TicketEventKind;
  tenantId: string;
  ticketId: string;
  queueId: string;
  /** The queue the ticket left, when it moved */
  previousQueueId?: string | null;
  customerUserId: string | null;
  customerCompanyId: string | null;
  /** ISO instant */
  at: string;
  actorUserId?: string | null;
  articleId?: string | null;
  /** An article or change customers must not see */
  internal?: boolean;
  /** Changed fields for TICKET_UPDATED (state, priority, queue, owner, responsible, …) */
  changes?: string[];
  /** SLA_WARNING / SLA_BREACH: which target and its deadline */
  slaTarget?: 'FIRST_RESPONSE' | 'UPDATE' | 'SOLUTION' | null;
  dueAt?: string | null;
  /** Set on events caused by automation rules (api/src/automation): rules never run on them */
  origin?: 'automation' | null;
}

/** May this viewer receive this event? Tenant is already matched by the channel; this adds queue and customer rules. */
export function canSeeEvent(viewer: Viewer, access: QueueAccess | null, e: TicketEvent): boolean {
  if (viewer.kind === 'agent') {
    if (viewer.tenantId !== e.tenantId) return false;
    if (!access || access.readable === 'all') return true;
    return access.readable.includes(e.queueId) || (!!e.previousQueueId && access.readable.includes(e.previousQueueId));
  }
  if (viewer.kind === 'customer') {
    if (viewer.tenantId !== e.tenantId || e.internal || AGENT_ONLY.has(e.kind)) return false;
    if (e.customerUserId === viewer.customerUserId) return true;
    return viewer.seesCompanyTickets && !!viewer.companyId && viewer.companyId === e.customerCompanyId;
  }
  return false;
}

/** What use cases publish through (services.events, or nothing in scripts). */
export interface EventSink {
  publish(event: Omit<TicketEvent, 'id' | 'at'> & { id?: string; at?: string }): Promise<TicketEvent>;
  onError?(err: unknown): void;
}
