import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { visibleTickets } from '../tickets/ticket.graphql.ts';
import { assignSla, createSla, saveCalendar } from './sla-admin.ts';
import { scheduleSlaRecompute } from './sla-jobs.ts';

const adminErrors = [ValidationError, ForbiddenError, NotFoundError, ConflictError];

export const CalendarType = builder.prismaObject('Calendar', {
  description: 'Business hours: a time zone, working intervals per weekday, holidays',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone'),
    week: t.expose('week', { type: 'JSON', description: '{"mon":[{"start":"09:00","end":"17:00"}],...}' }),
    holidays: t.expose('holidays', { type: 'JSON', description: '[{"date":"2026-12-24"},{"month":12,"day":25}]' }),
  }),
});

export const SlaType = builder.prismaObject('Sla', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    calendar: t.relation('calendar', { nullable: true }),
    firstResponseMinutes: t.exposeInt('firstResponseMinutes', { nullable: true }),
    updateMinutes: t.exposeInt('updateMinutes', { nullable: true }),
    solutionMinutes: t.exposeInt('solutionMinutes', { nullable: true }),
    warnPercent: t.exposeInt('warnPercent', { nullable: true }),
    actions: t.expose('actions', { type: 'JSON', description: '{"warning":[…],"breach":[{"type":"raise_priority"},{"type":"move_queue","queueId":…},{"type":"set_responsible","userId":…}]}' }),
    assignments: t.relation('assignments'),
  }),
});

builder.prismaObject('SlaAssignment', {
  fields: (t) => ({
    id: t.exposeID('id'),
    sla: t.relation('sla'),
    companyId: t.exposeID('companyId', { nullable: true }),
    ticketTypeId: t.exposeID('ticketTypeId', { nullable: true }),
    priorityId: t.exposeID('priorityId', { nullable: true }),
    queueId: t.exposeID('queueId', { nullable: true }),
  }),
});

const SlaTargetEnum = builder.enumType('SlaTarget', { values: ['FIRST_RESPONSE', 'UPDATE', 'SOLUTION'] as const });
const SlaResultType = builder.prismaObject('SlaResult', {
  description: 'One SLA target of a ticket: due, met, warned, breached (for reports)',
  fields: (t) => ({
    id: t.exposeID('id'),
    target: t.expose('target', { type: SlaTargetEnum }),
    sla: t.relation('sla', { nullable: true, description: 'null once the SLA was deleted (the result stays for reports)' }),
    slaName: t.string({
      description: "The SLA's name: its current name, or the name it had when it was deleted",
      select: { slaName: true, sla: { select: { name: true } } },
      resolve: (r) => r.sla?.name ?? r.slaName,
    }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    metAt: t.expose('metAt', { type: 'DateTime', nullable: true }),
    warnedAt: t.expose('warnedAt', { type: 'DateTime', nullable: true }),
    breachedAt: t.expose('breachedAt', { type: 'DateTime', nullable: true }),
    inTime: t.exposeBoolean('inTime', { nullable: true }),
  }),
});

builder.prismaObject('AgentNotification', {
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind'),
    message: t.exposeString('message'),
    ticketId: t.exposeID('ticketId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  calendars: t.prismaField({ type: [CalendarType], authScopes: { admin: true }, resolve: (q, _r, _a, ctx) => tenantClient(ctx).calendar.findMany({ ...q, orderBy: { name: 'asc' } }) }),
  slas: t.prismaField({ type: [SlaType], authScopes: { agent: true }, resolve: (q, _r, _a, ctx) => tenantClient(ctx).sla.findMany({ ...q, orderBy: { name: 'asc' } }) }),
  slaResults: t.prismaField({
    type: [SlaResultType], authScopes: { agent: true }, description: 'The SLA targets of a ticket you can see',
    args: { ticketId: t.arg.id({ required: true }) },
    resolve: (q, _r, { ticketId }, ctx) => tenantClient(ctx).slaResult.findMany({
      ...q, where: { ticketId: fromGlobalOrRawId(String(ticketId)), ticket: visibleTickets(ctx) }, orderBy: [{ target: 'asc' }, { cycle: 'asc' }],
    }),
  }),
  myNotifications: t.prismaField({
    type: ['AgentNotification'], authScopes: { agent: true }, args: { first: t.arg.int({ defaultValue: 50 }) },
    resolve: (q, _r, { first }, ctx) => tenantClient(ctx).agentNotification.findMany({
      ...q, where: { userId: ctx.viewer.kind === 'agent' ? ctx.viewer.userId : '' }, orderBy: { createdAt: 'desc' }, take: Math.min(first ?? 50, 200),
    }),
  }),
}));

const SaveCalendarInput = builder.inputType('SaveCalendarInput', {
  fields: (t) => ({
    id: t.id({ description: 'Replace this calendar (omit to create)' }),
    name: t.string({ required: true }), timeZone: t.string({ required: true }),
    week: t.field({ type: 'JSON', required: true }), holidays: t.field({ type: 'JSON' }),
  }),
});
builder.mutationField('saveCalendar', (t) => t.prismaField({
  type: CalendarType, authScopes: { admin: true }, errors: { types: adminErrors, dataField: { name: 'calendar' } },
  args: { input: t.arg({ type: SaveCalendarInput, required: true }) },
  resolve: async (_q, _r, { input }, ctx) => {
    const viewer = agentContext(ctx).viewer;
    const calendar = await saveCalendar(ctx.services.db, viewer, {
      id: input.id ? String(input.id) : undefined, name: input.name, timeZone: input.timeZone, week: input.week, holidays: input.holidays ?? [],
    });
    // changed business hours move the deadlines of every open ticket under an SLA using them
    if (input.id) await scheduleSlaRecompute(ctx.services, viewer.tenantId);
    return calendar;
  },
}));

const CreateSlaInput = builder.inputType('CreateSlaInput', {
  fields: (t) => ({
    name: t.string({ required: true }), calendarId: t.id(),
    firstResponseMinutes: t.int(), updateMinutes: t.int(), solutionMinutes: t.int(), warnPercent: t.int(),
    actions: t.field({ type: 'JSON' }),
  }),
});
builder.mutationField('createSla', (t) => t.prismaField({
  type: SlaType, authScopes: { admin: true }, errors: { types: adminErrors, dataField: { name: 'sla' } },
  args: { input: t.arg({ type: CreateSlaInput, required: true }) },
  resolve: (_q, _r, { input }, ctx) => createSla(ctx.services.db, agentContext(ctx).viewer, {
    name: input.name, calendarId: input.calendarId ? String(input.calendarId) : null,
    firstResponseMinutes: input.firstResponseMinutes, updateMinutes: input.updateMinutes, solutionMinutes: input.solutionMinutes,
    warnPercent: input.warnPercent, actions: (input.actions ?? undefined) as never,
  }),
}));

const AssignSlaInput = builder.inputType('AssignSlaInput', {
  fields: (t) => ({ slaId: t.id({ required: true }), companyId: t.id(), ticketTypeId: t.id(), priorityId: t.id(), queueId: t.id() }),
});
builder.mutationField('assignSla', (t) => t.prismaField({
  type: 'SlaAssignment', authScopes: { admin: true }, errors: { types: adminErrors, dataField: { name: 'assignment' } },
  description: 'Applies an SLA to a company, ticket type, priority and/or queue (none: tenant default); most specific wins',
  args: { input: t.arg({ type: AssignSlaInput, required: true }) },
  resolve: async (_q, _r, { input }, ctx) => {
    const id = (v: string | number | null | undefined) => (v == null ? null : String(v));
    const viewer = agentContext(ctx).viewer;
    const assignment = await assignSla(ctx.services.db, viewer, {
      slaId: String(input.slaId), companyId: id(input.companyId), ticketTypeId: id(input.ticketTypeId), priorityId: id(input.priorityId), queueId: id(input.queueId),
    });
    // open tickets that this assignment now covers get its deadlines
    await scheduleSlaRecompute(ctx.services, viewer.tenantId);
    return assignment;
  },
}));
