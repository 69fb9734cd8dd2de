import type { TicketEvent } from '../events/ticket-event.ts';
import type { AutomationCondition, AutomationTrigger } from './rule-schema.ts';

/** The facts a rule is matched against, loaded once per event by run-rules.ts. */
export interface RuleFacts {
  ticket: {
    queueId: string; priorityId: string; stateId: string; stateType: string; typeId: string | null;
    customerCompanyId: string | null; title: string;
    /** For the schedule-only conditions */
    updatedAt?: Date; pendingUntil?: Date | null;
  };
  /** The evaluation time (schedule-only conditions are false without it) */
  now?: Date;
  article: { channel: string; senderType: string } | null;
  /** Custom field values by field key */
  customFields: Record<string, unknown>;
}

/** Which rule triggers an event fires (none for kinds rules do not react to). */
export function triggersOf(event: Pick<TicketEvent, 'kind' | 'changes'>): AutomationTrigger[] {
  switch (event.kind) {
    case 'TICKET_CREATED': return ['TICKET_CREATED'];
    case 'ARTICLE_ADDED': return ['ARTICLE_ADDED'];
    case 'SLA_WARNING': return ['SLA_WARNING'];
    case 'SLA_BREACH': return ['SLA_BREACH'];
    case 'TICKET_UPDATED': return event.changes?.includes('state') ? ['STATE_CHANGED'] : [];
    default: return [];
  }
}

function customFieldEquals(stored: unknown, expected: string): boolean {
  if (Array.isArray(stored)) return stored.some((v) => String(v) === expected);
  if (stored === null || stored === undefined) return false;
  return String(stored) === expected;
}

export function conditionHolds(c: AutomationCondition, facts: RuleFacts): boolean {
  const t = facts.ticket;
  switch (c.field) {
    case 'queueId': return t.queueId === c.equals;
    case 'priorityId': return t.priorityId === c.equals;
    case 'stateId': return t.stateId === c.equals;
    case 'stateType': return t.stateType === c.equals;
    case 'typeId': return t.typeId === c.equals;
    case 'customerCompanyId': return t.customerCompanyId === c.equals;
    case 'titleContains': return t.title.toLocaleLowerCase().includes(c.value.toLocaleLowerCase());
    case 'articleChannel': return facts.article?.channel === c.equals;
    case 'articleSenderType': return facts.article?.senderType === c.equals;
    case 'customField': return customFieldEquals(facts.customFields[c.key], c.equals);
    case 'idleMinutes': return !!facts.now && !!t.updatedAt && facts.now.getTime() - t.updatedAt.getTime() >= c.atLeast * 60_000;
    case 'pendingOverdue': return !!facts.now && t.stateType.startsWith('PENDING_') && !!t.pendingUntil && t.pendingUntil.getTime() <= facts.now.getTime();
    default: return assertUnreachable(c);
  }
}

/**
 * Pure: does a rule with these triggers and conditions apply to this event and these facts?
 * Every one of `conditions` must hold, and at least one of `anyConditions` unless it is empty.
 */
export function matchRule(rule: { triggers: AutomationTrigger[]; conditions: AutomationCondition[]; anyConditions?: AutomationCondition[] }, fired: AutomationTrigger[], facts: RuleFacts): boolean {
  if (!rule.triggers.some((t) => fired.includes(t))) return false;
  if (!rule.conditions.every((c) => conditionHolds(c, facts))) return false;
  const any = rule.anyConditions ?? [];
  return any.length === 0 || any.some((c) => conditionHolds(c, facts));
}

function assertUnreachable(x: never): never {
  throw new Error(`unhandled automation condition ${JSON.stringify(x)}`);
}
