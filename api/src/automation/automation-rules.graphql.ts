import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { AUTOMATION_TRIGGERS } from './rule-schema.ts';
import { deleteAutomationRule, saveAutomationRule } from './save-rule.ts';

const AutomationTriggerEnum = builder.enumType('AutomationTrigger', { values: AUTOMATION_TRIGGERS });

const AutomationRuleType = builder.prismaObject('AutomationRule', {
  description: 'A tenant-defined rule: when a trigger fires, every one of `conditions` holds and at least one of `anyConditions` (if any), the actions change the ticket (as the system)',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    active: t.exposeBoolean('active'),
    position: t.exposeInt('position', { description: 'Evaluation order (ascending, then name)' }),
    triggers: t.field({ type: [AutomationTriggerEnum], resolve: (r) => r.triggers as never }),
    conditions: t.expose('conditions', { type: 'JSON', description: 'All-of list, e.g. [{ "field": "titleContains", "value": "invoice" }]' }),
    anyConditions: t.expose('anyConditions', { type: 'JSON', description: 'Any-of list: at least one must hold (empty: no such requirement)' }),
    actions: t.expose('actions', { type: 'JSON', description: 'e.g. [{ "type": "set_priority", "priorityId": "…" }, { "type": "add_note", "body": "…" }]' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('automationRules', (t) => t.prismaField({
  type: [AutomationRuleType], authScopes: { admin: true },
  description: 'The tenant\'s automation rules in evaluation order',
  resolve: (query, _root, _args, ctx) => tenantClient(ctx).automationRule.findMany({ ...query, orderBy: [{ position: 'asc' }, { name: 'asc' }] }),
}));

const SaveAutomationRuleInput = builder.inputType('SaveAutomationRuleInput', {
  fields: (t) => ({
    id: t.id({ description: 'Absent: create a new rule' }),
    name: t.string({ required: true }),
    active: t.boolean(),
    position: t.int(),
    triggers: t.field({ type: [AutomationTriggerEnum], required: true }),
    conditions: t.field({ type: 'JSON', description: 'All-of list of conditions (validated); absent: always' }),
    anyConditions: t.field({ type: 'JSON', description: 'Any-of list of conditions (validated); absent or empty: no any-of requirement' }),
    actions: t.field({ type: 'JSON', required: true }),
  }),
});

builder.mutationField('saveAutomationRule', (t) => t.prismaField({
  type: AutomationRuleType, authScopes: { admin: true },
  errors: { types: [ValidationError, ForbiddenError, NotFoundError, ConflictError], dataField: { name: 'rule' } },
  args: { input: t.arg({ type: SaveAutomationRuleInput, required: true }) },
  resolve: (_q, _root, { input }, ctx) => saveAutomationRule(ctx.services.db, agentContext(ctx).viewer, {
    id: input.id ? fromGlobalOrRawId(String(input.id)) : undefined,
    name: input.name, active: input.active ?? undefined, position: input.position ?? undefined,
    triggers: input.triggers, conditions: (input.conditions ?? undefined) as never, anyConditions: (input.anyConditions ?? undefined) as never, actions: input.actions as never,
  }),
}));

builder.mutationField('deleteAutomationRule', (t) => t.prismaField({
  type: AutomationRuleType, authScopes: { admin: true },
  errors: { types: [ForbiddenError, NotFoundError], dataField: { name: 'rule' } },
  args: { id: t.arg.id({ required: true }) },
  resolve: (_q, _root, { id }, ctx) => deleteAutomationRule(ctx.services.db, agentContext(ctx).viewer, fromGlobalOrRawId(String(id))),
}));
