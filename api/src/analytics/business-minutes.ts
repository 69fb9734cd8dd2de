import type { TenantTx } from '@parley/db';
import { businessMsBetween, twentyFourSeven, validateCalendar, type BusinessCalendar } from '../sla/business-calendar.ts';

/**
 * Business-hours durations of the facts a refresh just wrote (refreshedAt = `stamp`), stored on
 * TicketFact so analytics never compute them at query time. The calendar is the one of the SLA
 * that applied to the ticket (an SLA without a calendar runs 24/7 UTC), else the tenant's
 * default calendar (TenantDefaultCalendar), else 24/7 UTC (= wall-clock minutes).
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
  const minutes = (c: BusinessCalendar, from: Date, to: Date | null) =>
    to === null ? null : Math.max(0, Math.floor(businessMsBetween(c, from.getTime(), Math.max(from.getTime(), to.getTime())) / 60_000));
  const CHUNK = 5_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const ids: string[] = [];
    const fr: Array<number | null> = [];
    const res: Array<number | null> = [];
    for (const r of part) {
      const c = calendarOf(r.slaId);
      ids.push(r.ticketId);
      fr.push(minutes(c, r.createdAt, r.firstResponseAt));
      res.push(minutes(c, r.createdAt, r.closedAt));
    }
    await tx.$executeRaw`
      UPDATE "TicketFact" f SET "frBusinessMinutes" = u.fr, "resBusinessMinutes" = u.res
      FROM unnest(${ids}::uuid[], ${fr}::int[], ${res}::int[]) AS u(id, fr, res)
      WHERE f."tenantId" = ${tenantId}::uuid AND f."ticketId" = u.id`;
  }
  return rows.length;
}

