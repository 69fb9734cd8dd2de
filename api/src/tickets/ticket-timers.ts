import { withTenant, type Db } from '@parley/db';
import type { EventSink } from '../events/ticket-event.ts';
import { publishTicketEvent } from '../events/publish-ticket-event.ts';
import { recordHistory } from './history.ts';

type Candidate = { tenantId: string; id: string };

/**
 * Time-driven ticket changes, found across tenants by the system role and applied per tenant
 * under RLS, each re-checked inside its own transaction (so a duplicate run does nothing):
 * - pending reminder due: notify the owner (or responsible) once per pending-until time;
 * - pending auto-close due: close the ticket;
 * - lock idle longer than the queue's unlock timeout (no article or change by the holder since): unlock.
 */
export async function runTicketTimers(db: Db, systemDb: Db, events: EventSink | undefined, now = new Date(), batch = 500) {
  const reminders = await systemDb.$queryRaw<Candidate[]>`
    SELECT t."tenantId", t."id" FROM "Ticket" t JOIN "TicketState" s ON s."tenantId" = t."tenantId" AND s."id" = t."stateId"
    WHERE s."type" = 'PENDING_REMINDER' AND t."pendingUntil" <= ${now}
      AND NOT EXISTS (SELECT 1 FROM "TicketHistory" h WHERE h."tenantId" = t."tenantId" AND h."ticketId" = t."id"
                      AND h."action" = 'pending_reminder' AND h."newValue" = to_char(t."pendingUntil" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    ORDER BY t."pendingUntil" LIMIT ${batch}`;
  const autoClose = await systemDb.$queryRaw<Candidate[]>`
    SELECT t."tenantId", t."id" FROM "Ticket" t JOIN "TicketState" s ON s."tenantId" = t."tenantId" AND s."id" = t."stateId"
    WHERE s."type" = 'PENDING_AUTO_CLOSE' AND t."pendingUntil" <= ${now} ORDER BY t."pendingUntil" LIMIT ${batch}`;
  const locks = await systemDb.$queryRaw<Candidate[]>`
    SELECT t."tenantId", t."id" FROM "Ticket" t JOIN "Queue" q ON q."tenantId" = t."tenantId" AND q."id" = t."queueId"
    WHERE t."lockedById" IS NOT NULL AND q."unlockTimeoutMinutes" IS NOT NULL
      AND t."lockedAt" + make_interval(mins => q."unlockTimeoutMinutes") <= ${now} LIMIT ${batch}`;

  let reminded = 0;
  let closed = 0;
  let unlocked = 0;
  for (const c of reminders) if (await remind(db, events, c, now)) reminded++;
  for (const c of autoClose) if (await autoCloseTicket(db, events, c, now)) closed++;
  for (const c of locks) if (await expireLock(db, events, c, now)) unlocked++;
  return { reminded, closed, unlocked };
}

async function remind(db: Db, events: EventSink | undefined, c: Candidate, now: Date) {
  const ticket = await withTenant(db, c.tenantId, async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Ticket" WHERE "id" = ${c.id}::uuid FOR UPDATE`;
    const t = await tx.ticket.findUnique({ where: { id: c.id }, include: { state: true } });
    if (!t || t.state.type !== 'PENDING_REMINDER' || !t.pendingUntil || t.pendingUntil > now) return null;
    const mark = t.pendingUntil.toISOString();
    if (await tx.ticketHistory.findFirst({ where: { ticketId: t.id, action: 'pending_reminder', newValue: mark } })) return null;
    const to = t.ownerId ?? t.responsibleId;
    if (to) await tx.agentNotification.create({ data: { tenantId: c.tenantId, userId: to, ticketId: t.id, kind: 'pending_reminder', message: `Reminder: ticket ${t.number} "${t.title}" is due` } });
    await recordHistory(tx, c.tenantId, t.id, {}, [{ action: 'pending_reminder', field: 'pendingUntil', newValue: mark }]);
    return t;
  });
  if (ticket) await publishTicketEvent({ events }, 'PENDING_REMINDER', ticket, { internal: true });
  return !!ticket;
}

async function autoCloseTicket(db: Db, events: EventSink | undefined, c: Candidate, now: Date) {
  const ticket = await withTenant(db, c.tenantId, async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Ticket" WHERE "id" = ${c.id}::uuid FOR UPDATE`;
    const t = await tx.ticket.findUnique({ where: { id: c.id }, include: { state: true } });
    if (!t || t.state.type !== 'PENDING_AUTO_CLOSE' || !t.pendingUntil || t.pendingUntil > now) return null;
    const closedState = await tx.ticketState.findFirst({ where: { type: 'CLOSED', active: true }, orderBy: { name: 'asc' } });
    if (!closedState) return null;
    const updated = await tx.ticket.update({ where: { id: t.id }, data: { stateId: closedState.id, closedAt: now, pendingUntil: null, lockedById: null, lockedAt: null } });
    await recordHistory(tx, c.tenantId, t.id, {}, [{ action: 'state_changed', field: 'state', oldValue: t.state.name, newValue: closedState.name }]);
    return updated;
  });
  if (ticket) await publishTicketEvent({ events }, 'TICKET_UPDATED', ticket, { changes: ['state'] });
  return !!ticket;
}

async function expireLock(db: Db, events: EventSink | undefined, c: Candidate, now: Date) {
  const ticket = await withTenant(db, c.tenantId, async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Ticket" WHERE "id" = ${c.id}::uuid FOR UPDATE`;
    const t = await tx.ticket.findUnique({ where: { id: c.id }, include: { queue: { select: { unlockTimeoutMinutes: true } } } });
    if (!t?.lockedById || !t.lockedAt || !t.queue.unlockTimeoutMinutes) return null;
    // the holder's last doing on the ticket: the lock itself, an article, or a change
    const [article, change] = await Promise.all([
      tx.article.findFirst({ where: { ticketId: t.id, authorUserId: t.lockedById }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } }),
      tx.ticketHistory.findFirst({ where: { ticketId: t.id, actorUserId: t.lockedById }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } }),
    ]);
    const last = Math.max(t.lockedAt.getTime(), article?.createdAt.getTime() ?? 0, change?.createdAt.getTime() ?? 0);
    if (last + t.queue.unlockTimeoutMinutes * 60_000 > now.getTime()) return null;
    const updated = await tx.ticket.update({ where: { id: t.id }, data: { lockedById: null, lockedAt: null } });
    await recordHistory(tx, c.tenantId, t.id, {}, [{ action: 'unlocked', field: 'lock', oldValue: t.lockedById, newValue: null }]);
    return updated;
  });
  if (ticket) await publishTicketEvent({ events }, 'TICKET_UNLOCKED', ticket, { changes: ['lock_expired'] });
  return !!ticket;
}
