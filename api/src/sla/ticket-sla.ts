import { withTenant, type Db, type SlaTarget, type TenantTx } from '@parley/db';
import type { TicketEvent } from '../events/ticket-event.ts';
import { recordHistory, type HistoryEntry } from '../tickets/history.ts';
import { validateCalendar, twentyFourSeven, type BusinessCalendar } from './business-calendar.ts';
import { selectSla } from './select-sla.ts';
import { computeSlaClock, type SlaClock, type SlaEvent, type TargetClock, type TicketStatus } from './sla-clock.ts';
import { readSlaActions, type SlaAction } from './sla-actions.ts';

/** An SLA moment that fired: to publish (after commit) as SLA_WARNING / SLA_BREACH. */
export type FiredSlaEvent = Omit<TicketEvent, 'id' | 'at' | 'tenantId'> & { kind: 'SLA_WARNING' | 'SLA_BREACH' };

export interface SlaProcessResult {
  slaId: string | null;
  /** The next warning or breach moment (also stored as Ticket.escalationAt); schedule a job for it */
  nextEventAt: Date | null;
  fired: FiredSlaEvent[];
  /** Fields the tenant's actions changed (priority, queue, responsible) */
  changed: string[];
}

const statusOf = (type: string): TicketStatus =>
  type === 'NEW' || type === 'OPEN' ? 'open' : type.startsWith('PENDING') ? 'pending' : 'solved';

const TARGETS: Array<[SlaTarget, 'firstResponse' | 'update' | 'solution']> = [
  ['FIRST_RESPONSE', 'firstResponse'], ['UPDATE', 'update'], ['SOLUTION', 'solution'],
];

const calendars = new Map<string, { stamp: number; calendar: BusinessCalendar }>();
function calendarOf(row: { id: string; timeZone: string; week: unknown; holidays: unknown; updatedAt: Date } | null): BusinessCalendar {
  if (!row) return twentyFourSeven('UTC');
  const cached = calendars.get(row.id);
  if (cached && cached.stamp === row.updatedAt.getTime()) return cached.calendar;
  const calendar = validateCalendar({ timeZone: row.timeZone, week: row.week, holidays: row.holidays });
  if (calendars.size > 10_000) calendars.clear();
  calendars.set(row.id, { stamp: row.updatedAt.getTime(), calendar });
  return calendar;
}

/**
 * The SLA clock of one ticket from its stored facts: the winning SLA assignment (most specific),
 * its calendar, status changes from the history (pending pauses, closed solves, a reopen
 * resumes) and the articles (agent replies the customer sees, customer messages).
 */
async function ticketClock(tx: TenantTx, ticketId: string, now: Date) {
  const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, include: { state: true } });
  if (!ticket) return null;
  const assignments = await tx.slaAssignment.findMany({ select: { slaId: true, companyId: true, ticketTypeId: true, priorityId: true, queueId: true } });
  const chosen = selectSla({ companyId: ticket.customerCompanyId, ticketTypeId: ticket.typeId, priorityId: ticket.priorityId, queueId: ticket.queueId }, assignments);
  if (!chosen) return { ticket, sla: null, clock: null };
  const sla = await tx.sla.findUniqueOrThrow({ where: { id: chosen.slaId }, include: { calendar: true } });
  const [states, history, articles] = await Promise.all([
    tx.ticketState.findMany({ select: { name: true, type: true } }),
    tx.ticketHistory.findMany({ where: { ticketId, action: { in: ['created', 'state_changed', 'merged_into', 'unmerged'] } }, orderBy: { createdAt: 'asc' }, select: { action: true, newValue: true, createdAt: true } }),
    tx.article.findMany({ where: { ticketId }, orderBy: { createdAt: 'asc' }, select: { senderType: true, visibleToCustomer: true, channel: true, createdAt: true } }),
  ]);
  const typeByName = new Map(states.map((s) => [s.name, s.type as string]));
  const events: SlaEvent[] = [];
  for (const h of history) {
    if (h.action === 'merged_into') events.push({ type: 'status', at: h.createdAt, status: 'solved' });
    else if (h.action !== 'created' && h.newValue && typeByName.has(h.newValue)) events.push({ type: 'status', at: h.createdAt, status: statusOf(typeByName.get(h.newValue)!) });
  }
  // The first article opened the ticket (even when an agent typed it in for a caller): not a reply.
  for (const a of articles.slice(1)) {
    if (a.senderType === 'AGENT' && a.visibleToCustomer && a.channel !== 'NOTE') events.push({ type: 'agentReply', at: a.createdAt });
    else if (a.senderType === 'CUSTOMER') events.push({ type: 'customerMessage', at: a.createdAt });
  }
  events.sort((x, y) => x.at.getTime() - y.at.getTime());
  const clock = computeSlaClock({
    sla: { firstResponseMinutes: sla.firstResponseMinutes, updateMinutes: sla.updateMinutes, solutionMinutes: sla.solutionMinutes, warnPercent: sla.warnPercent },
    // a ticket stamped by a host whose clock runs slightly ahead must not make the clock throw
    calendar: calendarOf(sla.calendar), createdAt: ticket.createdAt, events, now: now < ticket.createdAt ? ticket.createdAt : now, initialStatus: 'open',
  });
  return { ticket, sla, clock };
}

/** Update cycles are told apart by their start: seconds from the ticket's creation. */
const cycleOf = (target: SlaTarget, clock: TargetClock, createdAt: Date) =>
  target === 'UPDATE' ? Math.round((clock.startedAt.getTime() - createdAt.getTime()) / 1000) : 0;

/**
 * Recomputes a ticket's SLA deadlines at `now` and fires every warning or breach that is due
 * and has not fired yet (SlaResult.warnedAt/breachedAt make each fire once, whoever runs this:
 * the event job, the delayed escalation job or the sweep). Firing = history entry, agent
 * notifications (owner and responsible, else the queue's agents) and the SLA's actions; the
 * caller publishes `fired` after commit and schedules `nextEventAt`.
 */
export async function processTicketSla(db: Db, tenantId: string, ticketId: string, now = new Date()): Promise<SlaProcessResult> {
  return withTenant(db, tenantId, async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Ticket" WHERE "id" = ${ticketId}::uuid FOR UPDATE`;
    const computed = await ticketClock(tx, ticketId, now);
    if (!computed) return { slaId: null, nextEventAt: null, fired: [], changed: [] };
    const { ticket, sla, clock } = computed;
    if (!sla || !clock) {
      if (ticket.escalationAt || ticket.firstResponseDueAt || ticket.updateDueAt || ticket.solutionDueAt) {
        await tx.ticket.update({ where: { id: ticketId }, data: { firstResponseDueAt: null, updateDueAt: null, solutionDueAt: null, escalationAt: null } });
      }
      return { slaId: null, nextEventAt: null, fired: [], changed: [] };
    }
    const fired: FiredSlaEvent[] = [];
    const history: HistoryEntry[] = [];
    const facts = { ticketId, queueId: ticket.queueId, customerUserId: ticket.customerUserId, customerCompanyId: ticket.customerCompanyId };
    for (const [target, key] of TARGETS) {
      const c = (clock as SlaClock)[key];
      if (!c) continue;
      const cycle = cycleOf(target, c, ticket.createdAt);
      const where = { tenantId_ticketId_target_cycle: { tenantId, ticketId, target, cycle } };
      const existing = await tx.slaResult.findUnique({ where });
      const data = {
        slaId: sla.id, slaName: sla.name, dueAt: c.dueAt, metAt: c.metAt,
        inTime: c.metAt ? !c.breached : c.breached ? false : null,
      };
      const fireWarning = c.warned && !c.metAt && !c.breached && !existing?.warnedAt && !existing?.breachedAt;
      const fireBreach = c.breached && !c.metAt && !existing?.breachedAt;
      const marks = {
        ...(fireWarning ? { warnedAt: now } : {}),
        ...(fireBreach ? { breachedAt: now } : {}),
        // met late while nobody watched (e.g. an outage): recorded, not escalated
        ...(c.metAt && c.breached && !existing?.breachedAt ? { breachedAt: c.dueAt ?? c.metAt } : {}),
      };
      await tx.slaResult.upsert({ where, create: { tenantId, ticketId, target, cycle, ...data, ...marks }, update: { ...data, ...marks } });
      for (const kind of [...(fireWarning ? ['SLA_WARNING' as const] : []), ...(fireBreach ? ['SLA_BREACH' as const] : [])]) {
        fired.push({ kind, ...facts, slaTarget: target, dueAt: c.dueAt?.toISOString() ?? null, internal: true });
        history.push({ action: kind === 'SLA_WARNING' ? 'sla_warning' : 'sla_breach', field: target.toLowerCase(), newValue: c.dueAt?.toISOString() ?? null });
      }
    }
    const changes: Record<string, unknown> = {};
    const changed: string[] = [];
    if (fired.length > 0) {
      const actions = readSlaActions(sla.actions);
      if (actions.notify !== 'none') await notifyAgents(tx, tenantId, ticket, fired, actions.notify);
      const todo = fired.flatMap((f) => (f.kind === 'SLA_WARNING' ? actions.warning : actions.breach));
      for (const action of todo) await applyAction(tx, ticket, action, changes, history, changed);
    }
    await tx.ticket.update({
      where: { id: ticketId },
      data: {
        firstResponseDueAt: clock.firstResponse?.metAt ? null : clock.firstResponse?.dueAt ?? null,
        updateDueAt: clock.update?.metAt ? null : clock.update?.dueAt ?? null,
        solutionDueAt: clock.solution?.metAt ? null : clock.solution?.dueAt ?? null,
        escalationAt: clock.nextEventAt,
        ...changes,
      },
    });
    await recordHistory(tx, tenantId, ticketId, {}, history);
    return { slaId: sla.id, nextEventAt: clock.nextEventAt, fired, changed };
  });
}

type TicketRow = { id: string; queueId: string; priorityId: string; ownerId: string | null; responsibleId: string | null; title: string; number: string };

async function notifyAgents(tx: TenantTx, tenantId: string, ticket: TicketRow, fired: FiredSlaEvent[], notify: 'assigned' | 'queue') {
  let userIds = notify === 'assigned' ? [ticket.ownerId, ticket.responsibleId].filter((x): x is string => !!x) : [];
  if (userIds.length === 0) {
    const agents = await tx.user.findMany({
      where: { active: true, OR: [{ kind: 'ADMIN' }, { roles: { some: { role: { permissions: { some: { queueId: ticket.queueId } } } } } }] },
      select: { id: true },
    });
    userIds = agents.map((a) => a.id);
  }
  const data = [...new Set(userIds)].flatMap((userId) => fired.map((f) => ({
    tenantId, userId, ticketId: ticket.id, kind: f.kind.toLowerCase(),
    message: `${f.kind === 'SLA_WARNING' ? 'SLA warning' : 'SLA breached'}: ${f.slaTarget?.toLowerCase().replace('_', ' ')} of ticket ${ticket.number} "${ticket.title}" ${f.kind === 'SLA_WARNING' ? 'is due' : 'was due'} ${f.dueAt ?? ''}`.trim(),
  })));
  if (data.length) await tx.agentNotification.createMany({ data });
}

async function applyAction(tx: TenantTx, ticket: TicketRow, action: SlaAction, changes: Record<string, unknown>, history: HistoryEntry[], changed: string[]) {
  if (action.type === 'raise_priority') {
    const current = await tx.priority.findUnique({ where: { id: (changes.priorityId as string) ?? ticket.priorityId } });
    const higher = current && await tx.priority.findFirst({ where: { active: true, level: { gt: current.level } }, orderBy: { level: 'asc' } });
    if (!higher) return;
    history.push({ action: 'priority_changed', field: 'priority', oldValue: current.id, newValue: higher.id });
    changes.priorityId = higher.id;
    changed.push('priority');
  } else if (action.type === 'move_queue') {
    const queue = await tx.queue.findFirst({ where: { id: action.queueId, active: true }, select: { id: true } });
    if (!queue || queue.id === ticket.queueId) return;
    history.push({ action: 'queue_changed', field: 'queue', oldValue: ticket.queueId, newValue: queue.id });
    changes.queueId = queue.id;
    changed.push('queue');
  } else if (action.type === 'set_responsible') {
    const user = await tx.user.findFirst({ where: { id: action.userId, active: true }, select: { id: true } });
    if (!user || user.id === ticket.responsibleId) return;
    history.push({ action: 'responsible_changed', field: 'responsible', oldValue: ticket.responsibleId, newValue: user.id });
    changes.responsibleId = user.id;
    changed.push('responsible');
  } else {
    assertUnreachable(action);
  }
}

function assertUnreachable(x: never): never {
  throw new Error(`unhandled SLA action ${JSON.stringify(x)}`);
}
