import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { isUuid } from '../tickets/load-ticket.ts';

const AutomationRuleRunType = builder.prismaObject('AutomationRuleRun', {
  description: 'One time a rule applied to a ticket (for the event, or once per ticket for a scheduled rule)',
  fields: (t) => ({
    id: t.exposeID('id'),
    ticketId: t.exposeID('ticketId'),
    ticketNumber: t.string({ select: { ticket: { select: { number: true } } }, resolve: (r) => r.ticket.number }),
    ticketTitle: t.string({ select: { ticket: { select: { title: true } } }, resolve: (r) => r.ticket.title }),
    changed: t.exposeStringList('changed', { description: 'What the rule changed: queue, priority, state, owner, responsible, note, mail, webhook' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField('AutomationRule', 'runs', (t) => t.relation('runs', {
  type: AutomationRuleRunType, authScopes: { admin: true },
  description: 'The most recent runs, newest first',
  args: { first: t.arg.int({ defaultValue: 20 }) },
  query: ({ first }) => ({ orderBy: { createdAt: 'desc' }, take: Math.max(1, Math.min(first ?? 20, 200)) }),
}));

builder.queryField('automationRule', (t) => t.prismaField({
  type: 'AutomationRule', nullable: true, authScopes: { admin: true },
  args: { id: t.arg.id({ required: true }) },
  resolve: (query, _root, { id }, ctx) => (isUuid(String(id)) ? tenantClient(ctx).automationRule.findUnique({ ...query, where: { id: String(id) } }) : null),
}));
