import { withTenant, type Db, type SlaTarget } from '@parley/db';
import type { z } from 'zod';
import type { AgentViewer } from '../auth/viewer.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { isUuid } from '../tickets/load-ticket.ts';
import { slaInput } from './sla-admin.ts';

function requireAdmin(viewer: AgentViewer) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators can configure SLAs');
  if (viewer.apiKey && !viewer.apiKey.scopes.includes('admin')) throw new ForbiddenError('This API key lacks the admin scope');
}

const TARGET_FIELDS: Array<[SlaTarget, 'firstResponseMinutes' | 'updateMinutes' | 'solutionMinutes']> = [
  ['FIRST_RESPONSE', 'firstResponseMinutes'], ['UPDATE', 'updateMinutes'], ['SOLUTION', 'solutionMinutes'],
];

/**
 * Replaces an SLA's name, calendar, targets, warning threshold and escalation settings. Running
 * clocks are not edited here: the caller schedules the tenant's SLA recompute, which recomputes
 * every open ticket's deadlines from its history under the new targets (README "When an SLA
 * changes"). Only the still-running results of a target this change removes are dropped here
 * (nothing will ever meet or breach them); finished results stay for the reports.
 */
export async function updateSla(db: Db, viewer: AgentViewer, id: string, raw: z.input<typeof slaInput>) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('SLA');
  const input = parseInput(slaInput, raw);
  return withTenant(db, viewer.tenantId, async (tx) => {
    const existing = await tx.sla.findUnique({ where: { id } });
    if (!existing) throw new NotFoundError('SLA');
    if (input.calendarId && !(await tx.calendar.findUnique({ where: { id: input.calendarId } }))) throw new NotFoundError('Calendar');
    if (await tx.sla.findFirst({ where: { name: input.name, NOT: { id } } })) throw new ConflictError(`An SLA named "${input.name}" exists`);
    const data = {
      name: input.name, calendarId: input.calendarId ?? null,
      firstResponseMinutes: input.firstResponseMinutes ?? null, updateMinutes: input.updateMinutes ?? null,
      solutionMinutes: input.solutionMinutes ?? null, warnPercent: input.warnPercent ?? null,
      actions: input.actions ?? { warning: [], breach: [] },
    };
    const removed = TARGET_FIELDS.filter(([, field]) => existing[field] != null && data[field] == null).map(([target]) => target);
    if (removed.length) await tx.slaResult.deleteMany({ where: { slaId: id, target: { in: removed }, inTime: null, metAt: null } });
    return tx.sla.update({ where: { id }, data });
  });
}

/**
 * Deletes an SLA with its assignments. Its decided per-ticket results stay for the reports
 * (SlaResult.slaId becomes null through ON DELETE SET NULL ("slaId"); slaName keeps the name as
 * it was at deletion); its still-running results are dropped (nothing will ever meet or breach
 * them), as updateSla does for a removed target. Open tickets it covered get another matching SLA
 * or no deadlines once the caller's recompute ran.
 */
export async function deleteSla(db: Db, viewer: AgentViewer, id: string) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('SLA');
  return withTenant(db, viewer.tenantId, async (tx) => {
    const sla = await tx.sla.findUnique({ where: { id } });
    if (!sla) throw new NotFoundError('SLA');
    await tx.slaResult.deleteMany({ where: { slaId: id, inTime: null, metAt: null } });
    await tx.slaResult.updateMany({ where: { slaId: id, slaName: { not: sla.name } }, data: { slaName: sla.name } });
    await tx.sla.delete({ where: { id } });
    return sla;
  });
}

/** Removes one "applies to" assignment of an SLA (the caller recomputes the open tickets). */
export async function removeSlaAssignment(db: Db, viewer: AgentViewer, id: string) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('SLA assignment');
  return withTenant(db, viewer.tenantId, async (tx) => {
    const assignment = await tx.slaAssignment.findUnique({ where: { id } });
    if (!assignment) throw new NotFoundError('SLA assignment');
    await tx.slaAssignment.delete({ where: { id } });
    return assignment;
  });
}

/** Deletes a business calendar; refused while an SLA uses it. */
export async function deleteCalendar(db: Db, viewer: AgentViewer, id: string) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('Calendar');
  return withTenant(db, viewer.tenantId, async (tx) => {
    const calendar = await tx.calendar.findUnique({ where: { id }, include: { slas: { select: { name: true } } } });
    if (!calendar) throw new NotFoundError('Calendar');
    if (calendar.slas.length) throw new ConflictError(`SLAs use this calendar: ${calendar.slas.map((s) => s.name).join(', ')}`);
    await tx.calendar.delete({ where: { id } });
    const { slas: _slas, ...rest } = calendar;
    return rest;
  });
}
