import { withTenant, type Db, type TenantTx } from '@parley/db';
import type { EventSink, TicketEvent } from '../events/ticket-event.ts';
import { generateMessageId } from '../mail/compose-mail.ts';
import { recordOutgoingMail, ticketMailData } from '../mail/outbound/enqueue-outgoing-mail.ts';
import { renderTemplate } from '../mail/render-template.ts';
import { tenantMailDomain } from '../mail/tenant-mail.ts';
import type { MailContext } from '../tickets/ticket-context.ts';
import { recordHistory, type HistoryEntry } from '../tickets/history.ts';
import { matchRule, triggersOf, type RuleFacts } from './match-rule.ts';
import { readRule, type AutomationAction } from './rule-schema.ts';

/** Marks events caused by automation rules: rules never run on them (no loops). */
export const AUTOMATION_ORIGIN = 'automation' as const;

export interface RuleRunResult { applied: string[]; changes: string[]; noteIds: string[]; mailArticleIds: string[]; outgoingMailIds: string[] }

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
export async function runAutomationRules(deps: { db: Db; events?: EventSink; mail?: MailContext }, event: TicketEvent, now = new Date()): Promise<RuleRunResult> {
  const none: RuleRunResult = { applied: [], changes: [], noteIds: [], mailArticleIds: [], outgoingMailIds: [] };
  if (event.origin === AUTOMATION_ORIGIN) return none;
  const fired = triggersOf(event);
  if (fired.length === 0) return none;
  const result = await withTenant(deps.db, event.tenantId, async (tx) => {
    const rules = await tx.automationRule.findMany({
      where: { active: true, triggers: { hasSome: fired } }, orderBy: [{ position: 'asc' }, { name: 'asc' }],
    });
    if (rules.length === 0) return null;
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Ticket" WHERE "id" = ${event.ticketId}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    const row = await tx.ticket.findUniqueOrThrow({ where: { id: event.ticketId }, include: { state: true } });
    if (row.state.type === 'MERGED' || row.state.type === 'REMOVED') return null;
    const facts = await loadFacts(tx, event, row);
    const ticket: Ticket = { ...row };
    const data: Record<string, unknown> = {};
    const history: HistoryEntry[] = [];
    const out: RuleRunResult = { applied: [], changes: [], noteIds: [], mailArticleIds: [], outgoingMailIds: [] };
    for (const stored of rules) {
      const rule = readRule(stored);
      if (!rule || !matchRule(rule, fired, facts)) continue;
      const done = await tx.automationRuleRun.findUnique({ where: { tenantId_ruleId_eventId: { tenantId: event.tenantId, ruleId: stored.id, eventId: event.id } } });
      if (done) continue;
      const changed: string[] = [];
      for (const action of rule.actions) await applyAction(tx, { tenantId: event.tenantId, ruleName: stored.name, now, mailDomain: deps.mail?.domain ?? 'localhost' }, ticket, facts, action, data, history, changed, out);
      history.push({ action: 'automation_rule_applied', field: 'automation', newValue: stored.name });
      await tx.automationRuleRun.create({ data: { tenantId: event.tenantId, ruleId: stored.id, eventId: event.id, ticketId: ticket.id, changed } });
      out.applied.push(stored.id);
      for (const c of changed) if (c !== 'note' && c !== 'mail' && !out.changes.includes(c)) out.changes.push(c);
    }
    if (out.applied.length === 0) return null;
    const updated = await tx.ticket.update({ where: { id: ticket.id }, data: { ...data, updatedAt: now } });
    await recordHistory(tx, event.tenantId, ticket.id, {}, history);
    return { out, updated, previousQueueId: row.queueId };
  });
  if (!result) return none;
  const { out, updated, previousQueueId } = result;
  if (out.outgoingMailIds.length > 0) await deps.mail?.outgoingRecorded(event.tenantId, out.outgoingMailIds);
  if (deps.events) {
    const facts = { tenantId: event.tenantId, ticketId: updated.id, queueId: updated.queueId, customerUserId: updated.customerUserId, customerCompanyId: updated.customerCompanyId, actorUserId: null, origin: AUTOMATION_ORIGIN };
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

async function loadFacts(tx: TenantTx, event: TicketEvent, row: Ticket & { state: { type: string } }): Promise<RuleFacts> {
  const article = event.articleId
    ? await tx.article.findUnique({ where: { id: event.articleId }, select: { channel: true, senderType: true } })
    : event.kind === 'TICKET_CREATED'
      ? await tx.article.findFirst({ where: { ticketId: row.id }, orderBy: { createdAt: 'asc' }, select: { channel: true, senderType: true } })
      : null;
  const values = await tx.customFieldValue.findMany({ where: { ticketId: row.id }, include: { field: { select: { key: true } } } });
  return {
    ticket: { queueId: row.queueId, priorityId: row.priorityId, stateId: row.stateId, stateType: row.state.type, typeId: row.typeId, customerCompanyId: row.customerCompanyId, title: row.title },
    article: article ?? null,
    customFields: Object.fromEntries(values.map((v) => [v.field.key, v.value])),
  };
}

/** One action against the ticket as it stands (targets re-checked: a row may have been deactivated since the rule was saved). */
async function applyAction(
  tx: TenantTx, ctx: { tenantId: string; ruleName: string; now: Date; mailDomain: string }, ticket: Ticket, facts: RuleFacts, action: AutomationAction,
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
