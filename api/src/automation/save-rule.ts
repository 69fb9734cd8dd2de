import { withTenant, type Db, type TenantTx } from '@parley/db';
import type { AgentViewer } from '../auth/viewer.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { isUuid } from '../tickets/load-ticket.ts';
import { saveAutomationRuleInput, type AutomationAction, type AutomationCondition, type SaveAutomationRuleInput } from './rule-schema.ts';

function requireAdmin(viewer: AgentViewer) {
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators can configure automation rules');
  if (viewer.apiKey && !viewer.apiKey.scopes.includes('admin')) throw new ForbiddenError('This API key lacks the admin scope');
}

/** Every id an action names must be an active row of the tenant (RLS makes another tenant's ids absent). */
async function checkReferences(tx: TenantTx, actions: AutomationAction[], lists: { conditions: AutomationCondition[]; anyConditions: AutomationCondition[] }) {
  for (const [i, a] of actions.entries()) {
    const field = `actions.${i}`;
    const found =
      a.type === 'set_queue' ? await tx.queue.findFirst({ where: { id: a.queueId, active: true }, select: { id: true } })
      : a.type === 'set_priority' ? await tx.priority.findFirst({ where: { id: a.priorityId, active: true }, select: { id: true } })
      : a.type === 'set_state' ? await tx.ticketState.findFirst({ where: { id: a.stateId, active: true, type: { notIn: ['MERGED', 'REMOVED'] } }, select: { id: true } })
      : (a.type === 'set_owner' || a.type === 'set_responsible') && a.userId ? await tx.user.findFirst({ where: { id: a.userId, active: true }, select: { id: true } })
      : a.type === 'call_webhook' ? await tx.webhook.findFirst({ where: { id: a.webhookId, active: true }, select: { id: true } })
      : true;
    if (!found) throw new ValidationError(`${field}: unknown or inactive ${a.type.replace(/^(set|call)_/, '')}`, field);
    if (a.type === 'set_state') {
      const state = await tx.ticketState.findUniqueOrThrow({ where: { id: a.stateId } });
      if (state.type === 'PENDING_REMINDER' || state.type === 'PENDING_AUTO_CLOSE') throw new ValidationError(`${field}: rules cannot set pending states (no pending time)`, field);
    }
  }
  for (const list of ['conditions', 'anyConditions'] as const) {
    for (const [i, c] of lists[list].entries()) {
      if (c.field !== 'customField') continue;
      const def = await tx.customFieldDefinition.findFirst({ where: { key: c.key }, select: { id: true } });
      if (!def) throw new ValidationError(`${list}.${i}: no custom field with key "${c.key}"`, `${list}.${i}`);
    }
  }
}

/** Creates (or, with an id, replaces) an automation rule after validating conditions and actions. Admins only. */
export async function saveAutomationRule(db: Db, viewer: AgentViewer, raw: SaveAutomationRuleInput) {
  requireAdmin(viewer);
  const input = parseInput(saveAutomationRuleInput, raw);
  const data = {
    name: input.name, active: input.active, position: input.position,
    triggers: [...new Set(input.triggers)], conditions: input.conditions as object[], anyConditions: input.anyConditions as object[], actions: input.actions as object[],
  };
  return withTenant(db, viewer.tenantId, async (tx) => {
    if (input.id && !(await tx.automationRule.findUnique({ where: { id: input.id }, select: { id: true } }))) throw new NotFoundError('Automation rule');
    const clash = await tx.automationRule.findFirst({ where: { name: data.name, ...(input.id ? { NOT: { id: input.id } } : {}) }, select: { id: true } });
    if (clash) throw new ConflictError(`An automation rule named "${data.name}" exists`);
    await checkReferences(tx, input.actions, input);
    if (!input.id) return tx.automationRule.create({ data: { tenantId: viewer.tenantId, createdById: viewer.userId, ...data } });
    return tx.automationRule.update({ where: { id: input.id }, data });
  });
}

export async function deleteAutomationRule(db: Db, viewer: AgentViewer, id: string) {
  requireAdmin(viewer);
  if (!isUuid(id)) throw new NotFoundError('Automation rule');
  return withTenant(db, viewer.tenantId, async (tx) => {
    const rule = await tx.automationRule.findUnique({ where: { id } });
    if (!rule) throw new NotFoundError('Automation rule');
    await tx.automationRule.delete({ where: { id } });
    return rule;
  });
}
