import { createHash } from 'node:crypto';
import { withTenant, type Db, type TenantTx } from '@parley/db';
import type { EventSink, TicketEvent } from '../events/ticket-event.ts';
import { generateMessageId } from '../mail/compose-mail.ts';
import { recordOutgoingMail, ticketMailData } from '../mail/outbound/enqueue-outgoing-mail.ts';
import { renderTemplate } from '../mail/render-template.ts';
import { tenantMailDomain } from '../mail/tenant-mail.ts';
import type { MailContext } from '../tickets/ticket-context.ts';
import { recordHistory, type HistoryEntry } from '../tickets/history.ts';
import { matchRule, triggersOf, type RuleFacts } from './match-rule.ts';
import { readRule, type AutomationAction, type AutomationCondition, type AutomationTrigger } from './rule-schema.ts';

/** Marks events caused by automation rules: rules never run on them (no loops). */
export const AUTOMATION_ORIGIN = 'automation' as const;

export interface RuleRunResult { applied: string[]; changes: string[]; noteIds: string[]; mailArticleIds: string[]; outgoingMailIds: string[]; webhookDeliveryIds: string[] }

/** What the caller does with webhook deliveries the rules recorded (the worker enqueues their sends). */
export interface WebhookSink { deliveriesRecorded(tenantId: string, deliveryIds: string[]): Promise<void> }
type RuleDeps = { db: Db; events?: EventSink; mail?: MailContext; webhooks?: WebhookSink };

type Ticket = { id: string; number: string; customerUserId: string | null; queueId: string; priorityId: string; stateId: string; typeId: string | null; ownerId: string | null; responsibleId: string | null; lockedById: string | null; customerCompanyId: string | null; title: string };

/**
 * Evaluates the tenant's active rules for one ticket event and applies the matching ones, in
 * order (position, then name; later rules see earlier rules' changes), in ONE transaction
 * holding the ticket row. Changes are made as the system (history without an actor), like the
 * SLA actions. Idempotent per event: an AutomationRuleRun row (rule, event id) is written with
 * the changes, so a retried job applies nothing twice. The resulting events are published with
 * origin "automation" after commit, and events of that origin are skipped here: rule changes
 * never trigger rules.
 */
export async function runAutomationRules(deps: RuleDeps, event: TicketEvent, now = new Date()): Promise<RuleRunResult> {
  if (event.origin === AUTOMATION_ORIGIN) return emptyResult();
  const fired = triggersOf(event);
  if (fired.length === 0) return emptyResult();
  return applyRules(deps, { tenantId: event.tenantId, ticketId: event.ticketId, fired, ruleWhere: { triggers: { hasSome: fired } }, runKey: () => event.id, event }, now);
}

const emptyResult = (): RuleRunResult => ({ applied: [], changes: [], noteIds: [], mailArticleIds: [], outgoingMailIds: [], webhookDeliveryIds: [] });

/** The AutomationRuleRun key of a scheduled rule on a ticket: a UUID derived from the ticket id, so each scheduled rule fires at most once per ticket. */
export function scheduleRunKey(ticketId: string): string {
  return derivedUuid(`schedule:${ticketId}`);
}

/** A stable UUID (version-5 layout) derived from a seed. */
function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The rules (of ruleWhere, active, in order) that match, applied to one ticket in one transaction holding its row; events published after commit. */
async function applyRules(
  deps: RuleDeps,
  opts: { tenantId: string; ticketId: string; fired: AutomationTrigger[]; ruleWhere: Record<string, unknown>; runKey: (ruleId: string) => string; event: Pick<TicketEvent, 'kind' | 'articleId'> | null },
  now: Date,
): Promise<RuleRunResult> {
  const none = emptyResult();
  const { tenantId } = opts;
  const result = await withTenant(deps.db, tenantId, async (tx) => {
    const rules = await tx.automationRule.findMany({
      where: { active: true, ...opts.ruleWhere }, orderBy: [{ position: 'asc' }, { name: 'asc' }],
    });
    if (rules.length === 0) return null;
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Ticket" WHERE "id" = ${opts.ticketId}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    const row = await tx.ticket.findUniqueOrThrow({ where: { id: opts.ticketId }, include: { state: true } });
    if (row.state.type === 'MERGED' || row.state.type === 'REMOVED') return null;
    const facts = await loadFacts(tx, opts.event, row, now);
    const ticket: Ticket = { ...row };
    const data: Record<string, unknown> = {};
    const history: HistoryEntry[] = [];
    const out = emptyResult();
    for (const stored of rules) {
      const rule = readRule(stored);
      if (!rule || !matchRule(rule, opts.fired, facts)) continue;
      const eventId = opts.runKey(stored.id);
      const done = await tx.automationRuleRun.findUnique({ where: { tenantId_ruleId_eventId: { tenantId, ruleId: stored.id, eventId } } });
      if (done) continue;
      const changed: string[] = [];
      for (const action of rule.actions) await applyAction(tx, { tenantId, ruleId: stored.id, ruleName: stored.name, runKey: eventId, fired: opts.fired, now, mailDomain: deps.mail?.domain ?? 'localhost' }, ticket, facts, action, data, history, changed, out);
      history.push({ action: 'automation_rule_applied', field: 'automation', newValue: stored.name });
      await tx.automationRuleRun.create({ data: { tenantId, ruleId: stored.id, eventId, ticketId: ticket.id, changed } });
      out.applied.push(stored.id);
      for (const c of changed) if (c !== 'note' && c !== 'mail' && c !== 'webhook' && !out.changes.includes(c)) out.changes.push(c);
    }
    if (out.applied.length === 0) return null;
    const updated = await tx.ticket.update({ where: { id: ticket.id }, data: { ...data, updatedAt: now } });
    await recordHistory(tx, tenantId, ticket.id, {}, history);
    return { out, updated, previousQueueId: row.queueId };
  });
  if (!result) return none;
  const { out, updated, previousQueueId } = result;
  if (out.outgoingMailIds.length > 0) await deps.mail?.outgoingRecorded(tenantId, out.outgoingMailIds);
  if (out.webhookDeliveryIds.length > 0) await deps.webhooks?.deliveriesRecorded(tenantId, out.webhookDeliveryIds);
  if (deps.events) {
    const facts = { tenantId, ticketId: updated.id, queueId: updated.queueId, customerUserId: updated.customerUserId, customerCompanyId: updated.customerCompanyId, actorUserId: null, origin: AUTOMATION_ORIGIN };
    try {
      for (const articleId of out.noteIds) await deps.events.publish({ ...facts, kind: 'ARTICLE_ADDED', articleId, internal: true });
      for (const articleId of out.mailArticleIds) await deps.events.publish({ ...facts, kind: 'ARTICLE_ADDED', articleId, internal: false });
      if (out.changes.length > 0) {
        await deps.events.publish({ ...facts, kind: 'TICKET_UPDATED', changes: out.changes, previousQueueId: previousQueueId !== updated.queueId ? previousQueueId : null });
      }
    } catch (err) {
      deps.events.onError?.(err);
    }
  }
  return out;
}

/**
 * One tenant's scheduled rules (trigger SCHEDULE), each against up to `batch` working tickets
 * (not archived, not closed/merged/removed) it has not fired on yet, oldest update first; an
 * idleMinutes condition narrows the candidates in SQL. Each ticket goes through applyRules (same
 * actions, same transaction rules, events with origin "automation"); the AutomationRuleRun key
 * scheduleRunKey(ticket) makes a rule fire at most once per ticket.
 */
export async function runScheduledRules(deps: RuleDeps, tenantId: string, now = new Date(), batch = 500) {
  const rules = await withTenant(deps.db, tenantId, (tx) => tx.automationRule.findMany({
    where: { active: true, triggers: { has: 'SCHEDULE' } }, orderBy: [{ position: 'asc' }, { name: 'asc' }], select: { id: true, conditions: true, anyConditions: true, actions: true, triggers: true },
  }));
  let candidates = 0;
  let applied = 0;
  for (const stored of rules) {
    const rule = readRule(stored);
    if (!rule) continue;
    const idle = Math.max(0, ...rule.conditions.map((c) => (c.field === 'idleMinutes' ? c.atLeast : 0)));
    const tickets = await withTenant(deps.db, tenantId, (tx) => tx.ticket.findMany({
      where: {
        archived: false, state: { type: { notIn: ['CLOSED', 'MERGED', 'REMOVED'] } },
        ...(idle > 0 ? { updatedAt: { lte: new Date(now.getTime() - idle * 60_000) } } : {}),
        AND: [...rule.conditions.map((c) => candidateFilter(c, now)), anyCandidateFilter(rule.anyConditions, now)],
        automationRuns: { none: { ruleId: stored.id } },
      },
      orderBy: { updatedAt: 'asc' }, take: batch, select: { id: true },
    }));
    candidates += tickets.length;
    for (const t of tickets) {
      const r = await applyRules(deps, { tenantId, ticketId: t.id, fired: ['SCHEDULE'], ruleWhere: { id: stored.id }, runKey: () => scheduleRunKey(t.id), event: null }, now);
      applied += r.applied.length;
    }
  }
  return { rules: rules.length, candidates, applied };
}

/**
 * The any-of list as a SQL filter: an OR of the conditions' filters, but only when each of them
 * narrows (a condition the SQL cannot express, e.g. a custom field, might be the one that holds).
 */
function anyCandidateFilter(any: AutomationCondition[], now: Date): Record<string, unknown> {
  const filters = any.map((c) => candidateFilter(c, now));
  return filters.length && filters.every((f) => Object.keys(f).length > 0) ? { OR: filters } : {};
}

/** The ticket-column conditions as a SQL filter, so that the batch holds tickets likely to match (matchRule still decides). */
function candidateFilter(c: AutomationCondition, now: Date): Record<string, unknown> {
  switch (c.field) {
    case 'queueId': case 'priorityId': case 'stateId': case 'typeId': case 'customerCompanyId': return { [c.field]: c.equals };
    case 'stateType': return { state: { type: c.equals } };
    case 'titleContains': return { title: { contains: c.value, mode: 'insensitive' } };
    case 'pendingOverdue': return { pendingUntil: { lte: now } };
    default: return {};
  }
}

async function loadFacts(tx: TenantTx, event: Pick<TicketEvent, 'kind' | 'articleId'> | null, row: Ticket & { state: { type: string }; updatedAt: Date; pendingUntil: Date | null }, now: Date): Promise<RuleFacts> {
  const article = event?.articleId
    ? await tx.article.findUnique({ where: { id: event.articleId }, select: { channel: true, senderType: true } })
    : event?.kind === 'TICKET_CREATED'
      ? await tx.article.findFirst({ where: { ticketId: row.id }, orderBy: { createdAt: 'asc' }, select: { channel: true, senderType: true } })
      : null;
  const values = await tx.customFieldValue.findMany({ where: { ticketId: row.id }, include: { field: { select: { key: true } } } });
  return {
    ticket: { queueId: row.queueId, priorityId: row.priorityId, stateId: row.stateId, stateType: row.state.type, typeId: row.typeId, customerCompanyId: row.customerCompanyId, title: row.title, updatedAt: row.updatedAt, pendingUntil: row.pendingUntil },
    now,
    article: article ?? null,
    customFields: Object.fromEntries(values.map((v) => [v.field.key, v.value])),
  };
}

type RuleActionContext = { tenantId: string; ruleId: string; ruleName: string; runKey: string; fired: AutomationTrigger[]; now: Date; mailDomain: string };

/** One action against the ticket as it stands (targets re-checked: a row may have been deactivated since the rule was saved). */
async function applyAction(
  tx: TenantTx, ctx: RuleActionContext, ticket: Ticket, facts: RuleFacts, action: AutomationAction,
  data: Record<string, unknown>, history: HistoryEntry[], changed: string[], out: RuleRunResult,
) {
  const set = (field: keyof Ticket, historyField: string, value: string | null) => {
    const old = ticket[field];
    if (old === value) return false;
    history.push({ action: `${historyField}_changed`, field: historyField, oldValue: old, newValue: value });
    (ticket as Record<string, unknown>)[field] = value;
    data[field] = value;
    changed.push(historyField);
    return true;
  };
  switch (action.type) {
    case 'set_queue': {
      const queue = await tx.queue.findFirst({ where: { id: action.queueId, active: true }, select: { id: true } });
      if (queue && set('queueId', 'queue', queue.id)) facts.ticket.queueId = queue.id;
      return;
    }
    case 'set_priority': {
      const priority = await tx.priority.findFirst({ where: { id: action.priorityId, active: true }, select: { id: true } });
      if (priority && set('priorityId', 'priority', priority.id)) facts.ticket.priorityId = priority.id;
      return;
    }
    case 'set_state': {
      const state = await tx.ticketState.findFirst({ where: { id: action.stateId, active: true, type: { in: ['NEW', 'OPEN', 'CLOSED'] } } });
      if (!state || state.id === ticket.stateId) return;
      const oldName = (await tx.ticketState.findUnique({ where: { id: ticket.stateId }, select: { name: true } }))?.name ?? null;
      ticket.stateId = state.id;
      Object.assign(data, { stateId: state.id, pendingUntil: null, closedAt: state.type === 'CLOSED' ? ctx.now : null, ...(state.type === 'CLOSED' ? { lockedById: null, lockedAt: null } : {}) });
      history.push({ action: 'state_changed', field: 'state', oldValue: oldName, newValue: state.name });
      changed.push('state');
      facts.ticket.stateId = state.id;
      facts.ticket.stateType = state.type;
      return;
    }
    case 'set_owner':
    case 'set_responsible': {
      const user = action.userId ? await tx.user.findFirst({ where: { id: action.userId, active: true }, select: { id: true } }) : null;
      if (action.userId && !user) return;
      if (action.type === 'set_responsible') { set('responsibleId', 'responsible', user?.id ?? null); return; }
      const lockPasses = ticket.lockedById && ticket.lockedById === ticket.ownerId;
      if (set('ownerId', 'owner', user?.id ?? null) && lockPasses) Object.assign(data, { lockedById: user?.id ?? null, lockedAt: user ? ctx.now : null });
      return;
    }
    case 'add_note': {
      const article = await tx.article.create({
        data: {
          tenantId: ctx.tenantId, ticketId: ticket.id, channel: 'NOTE', senderType: 'SYSTEM', visibleToCustomer: false,
          subject: `Automation: ${ctx.ruleName}`, bodyText: action.body, createdAt: ctx.now,
        },
      });
      history.push({ action: 'article_added', field: 'note', newValue: article.id });
      out.noteIds.push(article.id);
      changed.push('note');
      return;
    }
    case 'send_customer_mail': {
      await sendCustomerMail(tx, ctx, ticket, action, history, out);
      changed.push('mail');
      return;
    }
    case 'call_webhook': {
      if (await recordRuleWebhookCall(tx, ctx, ticket, action.webhookId, out)) changed.push('webhook');
      return;
    }
    default: {
      const never: never = action;
      throw new Error(`unhandled automation action ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The templated mail: an article on the ticket (channel EMAIL, sender SYSTEM, visible to the
 * customer) and its outbox row in this transaction, as an auto-response (Auto-Submitted, so
 * the customer's own autoresponder does not answer). No customer or no address: nothing.
 */
async function sendCustomerMail(
  tx: TenantTx, ctx: { tenantId: string; now: Date; mailDomain: string }, ticket: Ticket,
  action: Extract<AutomationAction, { type: 'send_customer_mail' }>, history: HistoryEntry[], out: RuleRunResult,
) {
  if (!ticket.customerUserId) return;
  const customer = await tx.customerUser.findUnique({ where: { id: ticket.customerUserId }, select: { name: true, email: true } });
  if (!customer?.email) return;
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { id: true, slug: true, name: true, mailDomain: true, ticketHook: true, ticketNumberFormat: true } });
  const queue = await tx.queue.findUniqueOrThrow({ where: { id: ticket.queueId }, select: { name: true, systemAddress: true, salutation: true, signature: true } });
  const state = await tx.ticketState.findUnique({ where: { id: ticket.stateId }, select: { name: true } });
  const priority = await tx.priority.findUnique({ where: { id: ticket.priorityId }, select: { name: true } });
  const mailTicket = { id: ticket.id, number: ticket.number, title: ticket.title, state: state?.name, priority: priority?.name };
  const templateData = ticketMailData({ tenant, queue, ticket: mailTicket, customer, agent: null });
  const subject = renderTemplate(action.subject, templateData).output;
  const body = renderTemplate(action.body, templateData).output;
  const messageId = generateMessageId(tenantMailDomain(tenant, ctx.mailDomain));
  const article = await tx.article.create({
    data: {
      tenantId: ctx.tenantId, ticketId: ticket.id, channel: 'EMAIL', senderType: 'SYSTEM', visibleToCustomer: true,
      subject, bodyText: body, toAddresses: [customer.email], messageId, createdAt: ctx.now,
    },
  });
  const mail = await recordOutgoingMail(tx, {
    kind: 'AUTO_RESPONSE', tenant, queue, ticket: mailTicket, articleId: article.id,
    to: [{ name: customer.name, address: customer.email }], subject, body, data: templateData, messageId, mailDomain: ctx.mailDomain,
  });
  history.push({ action: 'article_added', field: 'mail', newValue: article.id });
  out.mailArticleIds.push(article.id);
  out.outgoingMailIds.push(mail.id);
}

/**
 * A rule's webhook call: one WebhookDelivery row (the same log, signature, retries and SSRF guard
 * as the event webhooks) whose event id is derived from the rule and the run, so a retried run
 * records nothing twice. The payload carries ids and facts, never ticket content. A webhook
 * disabled since the rule was saved is skipped.
 */
async function recordRuleWebhookCall(tx: TenantTx, ctx: RuleActionContext, ticket: Ticket, webhookId: string, out: RuleRunResult) {
  const webhook = await tx.webhook.findFirst({ where: { id: webhookId, active: true }, select: { id: true } });
  if (!webhook) return false;
  const eventId = derivedUuid(`rule-webhook:${ctx.ruleId}:${ctx.runKey}:${webhookId}`);
  const payload = {
    id: eventId, kind: 'AUTOMATION_RULE', at: ctx.now.toISOString(), tenantId: ctx.tenantId,
    rule: { id: ctx.ruleId, name: ctx.ruleName }, triggers: ctx.fired,
    ticketId: ticket.id, ticketNumber: ticket.number, queueId: ticket.queueId, priorityId: ticket.priorityId, stateId: ticket.stateId,
    ownerId: ticket.ownerId, customerUserId: ticket.customerUserId, customerCompanyId: ticket.customerCompanyId,
  };
  await tx.webhookDelivery.createMany({ data: [{ tenantId: ctx.tenantId, webhookId, eventId, eventKind: 'AUTOMATION_RULE', payload }], skipDuplicates: true });
  const delivery = await tx.webhookDelivery.findUniqueOrThrow({ where: { tenantId_webhookId_eventId: { tenantId: ctx.tenantId, webhookId, eventId } }, select: { id: true, status: true } });
  if (delivery.status === 'PENDING') out.webhookDeliveryIds.push(delivery.id);
  return true;
}
