import { withTenant, type Db } from '@parley/db';
import { ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import type { AgentViewer } from '../auth/viewer.ts';

/**
 * The tenant's default business-hours calendar: analytics measure tickets without an SLA in it
 * (null clears it: 24/7 UTC). Past tickets keep their stored minutes until they change again.
 */
export async function setDefaultCalendar(db: Db, viewer: AgentViewer, calendarId: string | null) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators set the default calendar');
  return withTenant(db, viewer.tenantId, async (tx) => {
    if (calendarId === null) {
      await tx.tenantDefaultCalendar.deleteMany({});
      return null;
    }
    const calendar = await tx.calendar.findUnique({ where: { id: calendarId } });
    if (!calendar) throw new NotFoundError('Calendar');
    await tx.tenantDefaultCalendar.upsert({
      where: { tenantId: viewer.tenantId }, create: { tenantId: viewer.tenantId, calendarId }, update: { calendarId },
    });
    return calendar;
  });
}

export async function defaultCalendar(db: Db, tenantId: string) {
  return withTenant(db, tenantId, async (tx) => (await tx.tenantDefaultCalendar.findFirst({ include: { calendar: true } }))?.calendar ?? null);
}
