import { z } from 'zod';
import { TEMPLATE_PLACEHOLDERS, templatePlaceholders } from '../mail/render-template.ts';

/**
 * What an automation rule reacts to. Each maps onto the event stream (events/ticket-event.ts):
 * STATE_CHANGED is a TICKET_UPDATED whose `changes` include `state`. SCHEDULE is not an event: a
 * scheduled rule is checked every minute by the automation.schedule job against the tenant's
 * working tickets (run-rules.ts runScheduledRules) and fires at most once per ticket.
 */
export const AUTOMATION_TRIGGERS = ['TICKET_CREATED', 'ARTICLE_ADDED', 'STATE_CHANGED', 'SLA_WARNING', 'SLA_BREACH', 'SCHEDULE'] as const;
/** Conditions that only make sense on a schedule (an event has just touched the ticket). */
export const SCHEDULE_ONLY_CONDITIONS = ['idleMinutes', 'pendingOverdue'] as const;
export type AutomationTrigger = (typeof AUTOMATION_TRIGGERS)[number];

const STATE_TYPES = ['NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE', 'CLOSED', 'MERGED', 'REMOVED'] as const;
const CHANNELS = ['EMAIL', 'PHONE', 'PORTAL', 'NOTE', 'CHAT', 'API'] as const;
const SENDER_TYPES = ['AGENT', 'CUSTOMER', 'SYSTEM'] as const;

/** A template may use only the documented placeholders (ticket.url is not offered: rule mail carries no portal link yet). */
function knownPlaceholders(schema: z.ZodString) {
  const allowed = new Set<string>(TEMPLATE_PLACEHOLDERS.filter((p) => p !== 'ticket.url'));
  return schema.refine((t) => templatePlaceholders(t).every((p) => allowed.has(p)), { message: `unknown placeholder; use ${[...allowed].join(', ')}` });
}

/**
 * One condition. A rule has two lists, as Zendesk's triggers do: `conditions`, all of which must
 * hold, and `anyConditions`, at least one of which must hold (when the list is not empty).
 */
export const automationConditionSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('queueId'), equals: z.uuid() }),
  z.object({ field: z.literal('priorityId'), equals: z.uuid() }),
  z.object({ field: z.literal('stateId'), equals: z.uuid() }),
  z.object({ field: z.literal('stateType'), equals: z.enum(STATE_TYPES) }),
  z.object({ field: z.literal('typeId'), equals: z.uuid() }),
  z.object({ field: z.literal('customerCompanyId'), equals: z.uuid() }),
  /** Case-insensitive substring of the ticket title */
  z.object({ field: z.literal('titleContains'), value: z.string().trim().min(1).max(200) }),
  /** The event's article (ARTICLE_ADDED, or the first article on TICKET_CREATED) */
  z.object({ field: z.literal('articleChannel'), equals: z.enum(CHANNELS) }),
  z.object({ field: z.literal('articleSenderType'), equals: z.enum(SENDER_TYPES) }),
  /** A custom field's stored value (a scalar compared as text; a list matches when it contains the value) */
  z.object({ field: z.literal('customField'), key: z.string().trim().min(1).max(100), equals: z.string().max(1000) }),
  /** Scheduled rules: the ticket was last updated at least this many minutes ago */
  z.object({ field: z.literal('idleMinutes'), atLeast: z.number().int().min(1).max(366 * 24 * 60) }),
  /** Scheduled rules: a pending state whose pending time has passed */
  z.object({ field: z.literal('pendingOverdue') }),
]);
export const automationConditionsSchema = z.array(automationConditionSchema).max(20);

export const automationActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set_queue'), queueId: z.uuid() }),
  z.object({ type: z.literal('set_priority'), priorityId: z.uuid() }),
  z.object({ type: z.literal('set_state'), stateId: z.uuid() }),
  z.object({ type: z.literal('set_owner'), userId: z.uuid().nullable() }),
  z.object({ type: z.literal('set_responsible'), userId: z.uuid().nullable() }),
  /** An internal note (not visible to the customer), written by the system */
  z.object({ type: z.literal('add_note'), body: z.string().trim().min(1).max(20_000) }),
  /** A mail to the ticket's customer through the outbox; subject and body are templates ({{ticket.number}}, {{customer.name}}, …) */
  z.object({ type: z.literal('send_customer_mail'), subject: knownPlaceholders(z.string().trim().min(1).max(255)), body: knownPlaceholders(z.string().trim().min(1).max(20_000)) }),
  /** POST a signed JSON payload (the rule, the ticket's ids and facts) to one of the tenant's webhooks, through its delivery log and retries */
  z.object({ type: z.literal('call_webhook'), webhookId: z.uuid() }),
]);
export const automationActionsSchema = z.array(automationActionSchema).min(1).max(10);

export type AutomationCondition = z.infer<typeof automationConditionSchema>;
export type AutomationAction = z.infer<typeof automationActionSchema>;

export const saveAutomationRuleInput = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1).max(200),
  active: z.boolean().default(true),
  position: z.number().int().min(0).max(1_000_000).default(0),
  triggers: z.array(z.enum(AUTOMATION_TRIGGERS)).min(1).max(AUTOMATION_TRIGGERS.length),
  conditions: automationConditionsSchema.default([]),
  anyConditions: automationConditionsSchema.default([]),
  actions: automationActionsSchema,
}).superRefine((r, ctx) => {
  const scheduled = r.triggers.includes('SCHEDULE');
  if (scheduled && r.triggers.length > 1) ctx.addIssue({ code: 'custom', path: ['triggers'], message: 'a rule is either scheduled (SCHEDULE alone) or event-triggered' });
  if (scheduled && r.conditions.length === 0 && r.anyConditions.length === 0) ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'a scheduled rule needs at least one condition' });
  for (const list of ['conditions', 'anyConditions'] as const) {
    for (const [i, c] of r[list].entries()) {
      if (!scheduled && (SCHEDULE_ONLY_CONDITIONS as readonly string[]).includes(c.field)) ctx.addIssue({ code: 'custom', path: [list, i], message: `${c.field} applies to scheduled rules only` });
    }
  }
});
export type SaveAutomationRuleInput = z.input<typeof saveAutomationRuleInput>;

/** Stored JSON, read leniently: an unreadable rule is skipped (it was validated on write). */
export function readRule(stored: { conditions: unknown; anyConditions: unknown; actions: unknown; triggers: string[] }) {
  const conditions = automationConditionsSchema.safeParse(stored.conditions);
  const anyConditions = automationConditionsSchema.safeParse(stored.anyConditions ?? []);
  const actions = automationActionsSchema.safeParse(stored.actions);
  if (!conditions.success || !anyConditions.success || !actions.success) return null;
  const triggers = stored.triggers.filter((t): t is AutomationTrigger => (AUTOMATION_TRIGGERS as readonly string[]).includes(t));
  return { triggers, conditions: conditions.data, anyConditions: anyConditions.data, actions: actions.data };
}
