import type { TenantTx } from '@parley/db';
import { businessMsBetween, twentyFourSeven, validateCalendar, type BusinessCalendar } from '../sla/business-calendar.ts';

/** A span the ticket spent in a pending state; `end` null while it still is pending. */
export interface PendingInterval { start: number; end: number | null }

/**
 * Business ms in [from, to) of `calendar`, minus the business ms of the pending intervals inside
 * it (the SLA clock's pause, api/src/sla/sla-clock.ts). Intervals may touch; they never overlap
 * (they come from one ordered timeline).
 */
export function businessMsExcludingPending(calendar: BusinessCalendar, from: number, to: number, pending: readonly PendingInterval[]): number {
  if (to <= from) return 0;
  let ms = businessMsBetween(calendar, from, to);
  for (const p of pending) {
    const start = Math.max(p.start, from);
    const end = Math.min(p.end ?? Infinity, to);
    if (end > start) ms -= businessMsBetween(calendar, start, end);
  }
  return Math.max(0, ms);
}

/**
 * Pending intervals of the given tickets, in one query: the status timeline is read from
 * TicketHistory exactly as the SLA clock reads it (api/src/sla/ticket-sla.ts `ticketClock`):
 * `state_changed` and `unmerged` entries name the new state (mapped by the tenant's current
 * state names: NEW/OPEN open, PENDING_* pending, else solved; unknown names are ignored),
 * `merged_into` solves; the `created` entry is not a status change (a ticket starts open). A
 * pending interval runs from a change into a pending state up to the next status change (null:
 * still pending). Only pending intervals come back.
 */
export async function loadPendingIntervals(tx: TenantTx, tenantId: string, ticketIds: readonly string[]) {
  const byTicket = new Map<string, PendingInterval[]>();
  if (ticketIds.length === 0) return byTicket;
  const rows = await tx.$queryRaw<Array<{ ticketId: string; start: Date; end: Date | null }>>`
    SELECT e."ticketId", e."at" AS "start", e."next" AS "end" FROM (
      SELECT h."ticketId", h."createdAt" AS "at",
        CASE WHEN h."action" = 'merged_into' THEN 'solved'
             WHEN s."type" IN ('NEW', 'OPEN') THEN 'open'
             WHEN s."type" IN ('PENDING_REMINDER', 'PENDING_AUTO_CLOSE') THEN 'pending'
             ELSE 'solved' END AS "status",
        lead(h."createdAt") OVER (PARTITION BY h."ticketId" ORDER BY h."createdAt", h."id") AS "next"
      FROM "TicketHistory" h
      LEFT JOIN "TicketState" s ON s."tenantId" = h."tenantId" AND s."name" = h."newValue" AND h."action" <> 'merged_into'
      WHERE h."tenantId" = ${tenantId}::uuid AND h."ticketId" = ANY(${ticketIds as string[]}::uuid[])
        AND h."action" IN ('state_changed', 'unmerged', 'merged_into')
        AND (h."action" = 'merged_into' OR s."id" IS NOT NULL)
    ) e
    WHERE e."status" = 'pending' AND (e."next" IS NULL OR e."next" > e."at")`;
  for (const r of rows) {
    let list = byTicket.get(r.ticketId);
    if (!list) byTicket.set(r.ticketId, (list = []));
    list.push({ start: r.start.getTime(), end: r.end ? r.end.getTime() : null });
  }
  return byTicket;
}

/**
 * Business-hours durations of the facts a refresh just wrote (refreshedAt = `stamp`), stored on
 * TicketFact so analytics never compute them at query time. The calendar is the one of the SLA
 * that applied to the ticket (an SLA without a calendar runs 24/7 UTC), else the tenant's
 * default calendar (TenantDefaultCalendar), else 24/7 UTC (= wall-clock minutes). Time the
 * ticket spent pending (the SLA clock's pause) is not counted: `businessMsExcludingPending`.
 */
export async function storeBusinessMinutes(tx: TenantTx, tenantId: string, stamp: Date) {
  const [calendarRows, defaults, slas] = await Promise.all([
    tx.calendar.findMany({ select: { id: true, timeZone: true, week: true, holidays: true } }),
    tx.tenantDefaultCalendar.findFirst({ select: { calendarId: true } }),
    tx.sla.findMany({ select: { id: true, calendarId: true } }),
  ]);
  const calendars = new Map<string, BusinessCalendar>();
  for (const c of calendarRows) calendars.set(c.id, validateCalendar({ timeZone: c.timeZone, week: c.week, holidays: c.holidays }));
  const allDay = twentyFourSeven('UTC');
  const fallback = (defaults && calendars.get(defaults.calendarId)) ?? allDay;
  const slaCalendar = new Map(slas.map((s) => [s.id, (s.calendarId ? calendars.get(s.calendarId) : undefined) ?? allDay]));
  const calendarOf = (slaId: string | null) => (slaId ? slaCalendar.get(slaId) ?? fallback : fallback);

  const rows = await tx.$queryRaw<Array<{ ticketId: string; slaId: string | null; createdAt: Date; firstResponseAt: Date | null; closedAt: Date | null }>>`
    SELECT f."ticketId", f."slaId", f."createdAt", t."firstResponseAt", f."closedAt"
    FROM "TicketFact" f JOIN "Ticket" t ON t."tenantId" = f."tenantId" AND t."id" = f."ticketId"
    WHERE f."tenantId" = ${tenantId}::uuid AND f."refreshedAt" = ${stamp}`;
  const minutes = (c: BusinessCalendar, from: Date, to: Date | null, pending: readonly PendingInterval[]) =>
    to === null ? null : Math.floor(businessMsExcludingPending(c, from.getTime(), to.getTime(), pending) / 60_000);
  const CHUNK = 5_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const pendingOf = await loadPendingIntervals(tx, tenantId, part.map((r) => r.ticketId));
    const ids: string[] = [];
    const fr: Array<number | null> = [];
    const res: Array<number | null> = [];
    for (const r of part) {
      const c = calendarOf(r.slaId);
      const pending = pendingOf.get(r.ticketId) ?? [];
      ids.push(r.ticketId);
      fr.push(minutes(c, r.createdAt, r.firstResponseAt, pending));
      res.push(minutes(c, r.createdAt, r.closedAt, pending));
    }
    await tx.$executeRaw`
      UPDATE "TicketFact" f SET "frBusinessMinutes" = u.fr, "resBusinessMinutes" = u.res
      FROM unnest(${ids}::uuid[], ${fr}::int[], ${res}::int[]) AS u(id, fr, res)
      WHERE f."tenantId" = ${tenantId}::uuid AND f."ticketId" = u.id`;
  }
  return rows.length;
}

