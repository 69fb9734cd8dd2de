import { builder } from '../graphql/builder.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import { CalendarType } from '../sla/sla.graphql.ts';
import { defaultCalendar, setDefaultCalendar } from './default-calendar.ts';

const DefaultCalendarPayload = builder.objectRef<{ calendar: Awaited<ReturnType<typeof setDefaultCalendar>> }>('DefaultCalendarPayload').implement({
  fields: (t) => ({ calendar: t.field({ type: CalendarType, nullable: true, resolve: (p) => p.calendar }) }),
});

builder.queryField('defaultCalendar', (t) => t.field({
  type: CalendarType, nullable: true, authScopes: { agent: true },
  description: 'The calendar business-hours analytics use for tickets without an SLA (null: 24/7 UTC)',
  resolve: (_r, _a, ctx) => defaultCalendar(ctx.services.db, agentContext(ctx).viewer.tenantId),
}));

builder.mutationField('setDefaultCalendar', (t) => t.field({
  type: DefaultCalendarPayload, authScopes: { admin: true }, errors: { types: [ForbiddenError, NotFoundError], dataField: { name: 'result' } },
  description: 'Set (or clear with null) the tenant\'s default business-hours calendar for analytics',
  args: { calendarId: t.arg.id() },
  resolve: async (_r, a, ctx) => ({
    calendar: await setDefaultCalendar(ctx.services.db, agentContext(ctx).viewer, a.calendarId ? fromGlobalOrRawId(String(a.calendarId)) : null),
  }),
}));
