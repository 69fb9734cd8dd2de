import { builder } from '../graphql/builder.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { CalendarType, SlaType } from './sla.graphql.ts';
import { deleteCalendar, deleteSla, removeSlaAssignment, updateSla } from './sla-manage.ts';
import { scheduleSlaRecompute } from './sla-jobs.ts';

const UpdateSlaInput = builder.inputType('UpdateSlaInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ required: true }), calendarId: t.id(),
    firstResponseMinutes: t.int(), updateMinutes: t.int(), solutionMinutes: t.int(), warnPercent: t.int(),
    actions: t.field({ type: 'JSON', description: '{"warning":[…],"breach":[…],"notify":"assigned"|"queue"|"none"}' }),
  }),
});

builder.mutationField('updateSla', (t) => t.prismaField({
  type: SlaType, authScopes: { admin: true },
  description: 'Replaces an SLA; the deadlines of open tickets are recomputed under the new targets within seconds',
  errors: { types: [ValidationError, ForbiddenError, NotFoundError, ConflictError], dataField: { name: 'sla' } },
  args: { input: t.arg({ type: UpdateSlaInput, required: true }) },
  resolve: async (_q, _r, { input }, ctx) => {
    const viewer = agentContext(ctx).viewer;
    const sla = await updateSla(ctx.services.db, viewer, String(input.id), {
      name: input.name, calendarId: input.calendarId ? String(input.calendarId) : null,
      firstResponseMinutes: input.firstResponseMinutes, updateMinutes: input.updateMinutes, solutionMinutes: input.solutionMinutes,
      warnPercent: input.warnPercent, actions: (input.actions ?? undefined) as never,
    });
    await scheduleSlaRecompute(ctx.services, viewer.tenantId);
    return sla;
  },
}));

builder.mutationField('deleteSla', (t) => t.prismaField({
  type: SlaType, authScopes: { admin: true },
  description: 'Deletes an SLA, its assignments and its results; open tickets get another matching SLA or none',
  errors: { types: [ForbiddenError, NotFoundError], dataField: { name: 'sla' } },
  args: { id: t.arg.id({ required: true }) },
  resolve: async (_q, _r, { id }, ctx) => {
    const viewer = agentContext(ctx).viewer;
    const sla = await deleteSla(ctx.services.db, viewer, String(id));
    await scheduleSlaRecompute(ctx.services, viewer.tenantId);
    return sla;
  },
}));

builder.mutationField('removeSlaAssignment', (t) => t.prismaField({
  type: 'SlaAssignment', authScopes: { admin: true },
  errors: { types: [ForbiddenError, NotFoundError], dataField: { name: 'assignment' } },
  args: { id: t.arg.id({ required: true }) },
  resolve: async (_q, _r, { id }, ctx) => {
    const viewer = agentContext(ctx).viewer;
    const assignment = await removeSlaAssignment(ctx.services.db, viewer, String(id));
    await scheduleSlaRecompute(ctx.services, viewer.tenantId);
    return assignment;
  },
}));

builder.mutationField('deleteCalendar', (t) => t.prismaField({
  type: CalendarType, authScopes: { admin: true },
  description: 'Deletes a business calendar (refused while an SLA uses it)',
  errors: { types: [ForbiddenError, NotFoundError, ConflictError], dataField: { name: 'calendar' } },
  args: { id: t.arg.id({ required: true }) },
  resolve: (_q, _r, { id }, ctx) => deleteCalendar(ctx.services.db, agentContext(ctx).viewer, String(id)),
}));
