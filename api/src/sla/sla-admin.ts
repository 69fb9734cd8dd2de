import { withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import type { AgentViewer } from '../auth/viewer.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { validateCalendar } from './business-calendar.ts';
import { SlaError } from './errors.ts';
import { slaActionsSchema } from './sla-actions.ts';

function requireAdmin(viewer: AgentViewer) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators can configure SLAs');
}

/** The field of a calendar problem ("week.mon[1]: …" → "week.mon", "holidays[0].date: …" → "holidays"). */
export function calendarField(issue: string | undefined): string {
  const path = issue?.split(':')[0] ?? '';
  if (path.startsWith('week.')) return path.split('[')[0].split('.').slice(0, 2).join('.');
  if (path.startsWith('holidays')) return 'holidays';
  if (path.startsWith('timeZone')) return 'timeZone';
  return path.startsWith('week') ? 'week' : 'calendar';
}

function calendarOrValidationError(input: unknown) {
  try {
    return validateCalendar(input);
  } catch (e) {
    if (e instanceof SlaError) throw new ValidationError(e.message, calendarField(e.issues[0]));
    throw e;
  }
}

const calendarInput = z.object({ name: z.string().trim().min(1).max(200), timeZone: z.string(), week: z.unknown(), holidays: z.unknown().optional() });

/** Creates (or, with an id, replaces) a business-hours calendar after validating it. */
export async function saveCalendar(db: Db, viewer: AgentViewer, raw: z.input<typeof calendarInput> & { id?: string }) {
  requireAdmin(viewer);
  const input = parseInput(calendarInput, raw);
  const calendar = calendarOrValidationError({ timeZone: input.timeZone, week: input.week, holidays: input.holidays ?? [] });
  const data = { name: input.name, timeZone: calendar.timeZone, week: calendar.week as object, holidays: (calendar.holidays ?? []) as object[] };
  return withTenant(db, viewer.tenantId, async (tx) => {
    const clash = await tx.calendar.findFirst({ where: { name: data.name, ...(raw.id ? { NOT: { id: raw.id } } : {}) } });
    if (clash) throw new ConflictError(`A calendar named "${data.name}" exists`);
    if (!raw.id) return tx.calendar.create({ data: { tenantId: viewer.tenantId, ...data } });
    const existing = await tx.calendar.findUnique({ where: { id: raw.id } });
    if (!existing) throw new NotFoundError('Calendar');
    return tx.calendar.update({ where: { id: raw.id }, data });
  });
}

const minutes = z.number().int().min(0).max(10_000_000).nullish();
export const slaInput = z.object({
  name: z.string().trim().min(1).max(200),
  calendarId: z.uuid().nullish(),
  firstResponseMinutes: minutes, updateMinutes: minutes, solutionMinutes: minutes,
  warnPercent: z.number().int().min(1).max(99).nullish(),
  actions: slaActionsSchema.optional(),
});

export async function createSla(db: Db, viewer: AgentViewer, raw: z.input<typeof slaInput>) {
  requireAdmin(viewer);
  const input = parseInput(slaInput, raw);
  return withTenant(db, viewer.tenantId, async (tx) => {
    if (input.calendarId && !(await tx.calendar.findUnique({ where: { id: input.calendarId } }))) throw new NotFoundError('Calendar');
    if (await tx.sla.findFirst({ where: { name: input.name } })) throw new ConflictError(`An SLA named "${input.name}" exists`);
    return tx.sla.create({
      data: {
        tenantId: viewer.tenantId, name: input.name, calendarId: input.calendarId ?? null,
        firstResponseMinutes: input.firstResponseMinutes ?? null, updateMinutes: input.updateMinutes ?? null,
        solutionMinutes: input.solutionMinutes ?? null, warnPercent: input.warnPercent ?? null,
        actions: input.actions ?? { warning: [], breach: [] },
      },
    });
  });
}

const assignInput = z.object({
  slaId: z.uuid(), companyId: z.uuid().nullish(), ticketTypeId: z.uuid().nullish(), priorityId: z.uuid().nullish(), queueId: z.uuid().nullish(),
});

/**
 * Assigns an SLA to any combination of company, ticket type, priority and queue (none: the
 * tenant default); the most specific match wins per ticket. The same combination twice is a conflict.
 */
export async function assignSla(db: Db, viewer: AgentViewer, raw: z.input<typeof assignInput>) {
  requireAdmin(viewer);
  const input = parseInput(assignInput, raw);
  const criteria = { companyId: input.companyId ?? null, ticketTypeId: input.ticketTypeId ?? null, priorityId: input.priorityId ?? null, queueId: input.queueId ?? null };
  return withTenant(db, viewer.tenantId, async (tx) => {
    if (!(await tx.sla.findUnique({ where: { id: input.slaId } }))) throw new NotFoundError('SLA');
    if (await tx.slaAssignment.findFirst({ where: criteria })) throw new ConflictError('An SLA is already assigned to exactly these criteria');
    try {
      return await tx.slaAssignment.create({ data: { tenantId: viewer.tenantId, slaId: input.slaId, ...criteria } });
    } catch (e) {
      // a composite foreign key names something of another tenant or nothing at all
      if ((e as { code?: string }).code === 'P2003') throw new NotFoundError('Company, ticket type, priority or queue');
      throw e;
    }
  });
}
