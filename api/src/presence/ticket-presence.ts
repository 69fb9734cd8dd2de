import { withTenant } from '@parley/db';
import type { AgentViewer } from '../auth/viewer.ts';
import { NotFoundError } from '../errors/app-error.ts';
import { loadQueueAccess, ticketVisibility } from '../tickets/queue-access.ts';
import type { UseCaseContext } from '../tickets/ticket-context.ts';
import type { presenceStore, PresenceActivity, PresenceEntry } from './presence-store.ts';

/** A change of who is on a ticket, published per tenant so every API instance can tell its subscribers. */
export interface PresenceSignal { tenantId: string; ticketId: string }

export interface PresenceContext extends Pick<UseCaseContext, 'db' | 'now'> {
  viewer: AgentViewer;
  store: ReturnType<typeof presenceStore>;
  /** Tells subscribers of this ticket (all instances) to re-read the presence list */
  signal(s: PresenceSignal): void;
  /** Counts an announcement; throws RateLimitedError when the agent sends too many */
  limit?(tenantId: string, userId: string): Promise<void>;
}

/**
 * The ticket's UUID if the agent may read it (same rule as the ticket itself: RO on its queue,
 * admins everything; row-level security limits the tenant). NotFound otherwise, never Forbidden:
 * presence must not reveal that a ticket exists.
 */
export async function visibleTicketFor(ctx: Pick<PresenceContext, 'db' | 'viewer'>, ticketId: string) {
  return withTenant(ctx.db, ctx.viewer.tenantId, async (tx) => {
    const access = await loadQueueAccess(tx, ctx.viewer);
    const ticket = await tx.ticket.findFirst({ where: { id: ticketId, ...ticketVisibility(ctx.viewer, access) }, select: { id: true } });
    if (!ticket) throw new NotFoundError('Ticket');
    const user = await tx.user.findFirst({ where: { id: ctx.viewer.userId }, select: { name: true } });
    return { ticketId: ticket.id, name: user?.name ?? '' };
  });
}

/**
 * "I have this ticket open" (VIEWING) or "I am typing a reply" (REPLYING). Repeated as a heartbeat;
 * subscribers are only signalled when someone arrives or changes activity.
 */
export async function announceTicketPresence(ctx: PresenceContext, ticketId: string, activity: PresenceActivity): Promise<PresenceEntry[]> {
  await ctx.limit?.(ctx.viewer.tenantId, ctx.viewer.userId);
  const { name } = await visibleTicketFor(ctx, ticketId);
  const { tenantId, userId } = ctx.viewer;
  const now = ctx.now ? ctx.now() : new Date();
  const previous = await ctx.store.put(tenantId, ticketId, { userId, name, activity, at: now.toISOString() }, now.getTime());
  if (previous !== activity) ctx.signal({ tenantId, ticketId });
  return ctx.store.list(tenantId, ticketId, now.getTime());
}

/** "I closed the ticket": gone at once instead of after the TTL. */
export async function leaveTicketPresence(ctx: PresenceContext, ticketId: string): Promise<PresenceEntry[]> {
  await visibleTicketFor(ctx, ticketId);
  const { tenantId, userId } = ctx.viewer;
  if (await ctx.store.remove(tenantId, ticketId, userId)) ctx.signal({ tenantId, ticketId });
  return ctx.store.list(tenantId, ticketId, ctx.now ? ctx.now().getTime() : Date.now());
}
