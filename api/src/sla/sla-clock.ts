import { addBusinessMs, type BusinessCalendar, businessMsBetween } from './business-calendar.ts';
import { SlaError } from './errors.ts';
import { type SlaTargets, validateSlaTargets } from './sla-policy.ts';
import { MINUTE } from './tz.ts';

/*
 * The SLA clock of one ticket, computed from scratch from its timeline: pure and deterministic
 * (`now` comes in, nothing reads the system clock), so the escalation worker, the API and tests
 * all get the same answer.
 *
 * Status model (the caller maps its state types onto it):
 *   open    - new/open: clocks run (in business time)
 *   pending - pending reminder/auto: every clock is paused; paused business time extends deadlines
 *   solved  - closed/merged/removed: solution target met; clocks do not run; a later `open` is a
 *             reopen and the solution clock continues where it stopped
 * Targets:
 *   firstResponse - from createdAt to the first agentReply.
 *   update        - OTRS "update time", recurring: the customer must never wait longer than N
 *                   business minutes to hear from an agent. A cycle starts at createdAt, at each
 *                   agentReply, or - when the customer writes after the last agent reply - at that
 *                   (first unanswered) customerMessage; it is met by the next agentReply.
 *   solution      - from createdAt to the (last) solved status.
 * A target met exactly at its deadline is in time; an unmet target is breached from its deadline on.
 */

export type TicketStatus = 'open' | 'pending' | 'solved';
export type SlaEvent =
  /** The ticket's state changed; map state types: new/open -> open, pending * -> pending,
   *  closed/merged/removed -> solved. Repeating the current status is a no-op. */
  | { type: 'status'; at: Date; status: TicketStatus }
  /** An agent's reply the customer can see (mail, portal, phone note marked as contact); not internal notes. */
  | { type: 'agentReply'; at: Date }
  /** A contact from the customer (incoming mail, portal follow-up, phone call logged as such). */
  | { type: 'customerMessage'; at: Date };
export type SlaTargetName = 'firstResponse' | 'update' | 'solution';

export type TargetClock = {
  targetMinutes: number;
  /** Start of this (cycle of the) target. */
  startedAt: Date;
  /** Deadline; null while paused before it was reached (unknown until the clock resumes). For a met
   *  target: the deadline in force when it was met. */
  dueAt: Date | null;
  warnAt: Date | null;
  metAt: Date | null;
  /** null while not met. */
  metInTime: boolean | null;
  /** Business minutes counted so far (up to metAt when met, else up to now). */
  elapsedMinutes: number;
  /** targetMinutes - elapsedMinutes; negative once breached. */
  remainingMinutes: number;
  /** The clock is counting right now (not met, ticket open). */
  running: boolean;
  warned: boolean;
  breached: boolean;
};

export type SlaClock = {
  status: TicketStatus;
  firstResponse: TargetClock | null;
  /** The current (last) update cycle. */
  update: TargetClock | null;
  /** Update cycles that breached so far, the current one included. */
  updateBreaches: number;
  solution: TargetClock | null;
  /** Business minutes spent in pending states between createdAt and now. */
  pausedMinutes: number;
  /** Next moment a warning or breach fires (strictly after now); null if none is scheduled. */
  nextEventAt: Date | null;
  nextEvent: { target: SlaTargetName; kind: 'warning' | 'breach' } | null;
};

export type SlaClockInput = {
  sla: SlaTargets;
  calendar: BusinessCalendar;
  createdAt: Date;
  events: readonly SlaEvent[];
  now: Date;
  /** Status at creation; default 'open'. */
  initialStatus?: TicketStatus;
};

type Segment = { start: number; end: number; status: TicketStatus };
type Ctx = { calendar: BusinessCalendar; segments: Segment[]; now: number; warnPercent: number | null };

function time(label: string, d: Date): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new SlaError('INVALID_INPUT', `${label} is not a valid Date`);
  return t;
}

/** Business ms counted by the clock (status open) in [from, to]. */
function runningMs(ctx: Ctx, segments: Segment[], from: number, to: number): number {
  let total = 0;
  for (const s of segments) {
    if (s.status !== 'open' || s.end <= from || s.start >= to) continue;
    total += businessMsBetween(ctx.calendar, Math.max(s.start, from), Math.min(s.end, to));
  }
  return total;
}

/** Instant at which the clock started at `from` has counted `need` ms; null if it never does. */
function reach(ctx: Ctx, segments: Segment[], from: number, need: number): number | null {
  let acc = 0;
  for (const s of segments) {
    if (s.status !== 'open' || s.end <= from) continue;
    const start = Math.max(s.start, from);
    if (s.end === Infinity) return addBusinessMs(ctx.calendar, start, need - acc);
    const available = businessMsBetween(ctx.calendar, start, s.end);
    if (acc + available >= need) return addBusinessMs(ctx.calendar, start, need - acc);
    acc += available;
  }
  return null;
}

/** Segments as they were up to `at`, with the clock assumed to keep running afterwards. */
function runningAfter(segments: Segment[], at: number): Segment[] {
  const out = segments.filter((s) => s.start < at).map((s) => ({ ...s, end: Math.min(s.end, at) }));
  out.push({ start: at, end: Infinity, status: 'open' });
  return out;
}

function targetClock(ctx: Ctx, startedAt: number, targetMs: number, metAt: number | null): TargetClock {
  const met = metAt !== null;
  const segments = met ? runningAfter(ctx.segments, metAt) : ctx.segments;
  const until = met ? metAt : ctx.now;
  const elapsed = runningMs(ctx, ctx.segments, startedAt, until);
  const dueAt = reach(ctx, segments, startedAt, targetMs);
  const warnAt = ctx.warnPercent === null ? null : reach(ctx, segments, startedAt, Math.round((targetMs * ctx.warnPercent) / 100));
  const last = ctx.segments[ctx.segments.length - 1];
  return {
    targetMinutes: targetMs / MINUTE,
    startedAt: new Date(startedAt),
    dueAt: dueAt === null ? null : new Date(dueAt),
    warnAt: warnAt === null ? null : new Date(warnAt),
    metAt: met ? new Date(metAt) : null,
    metInTime: met ? elapsed <= targetMs : null,
    elapsedMinutes: elapsed / MINUTE,
    remainingMinutes: (targetMs - elapsed) / MINUTE,
    running: !met && last.status === 'open',
    warned: warnAt !== null && warnAt <= until,
    breached: met ? elapsed > targetMs : elapsed >= targetMs,
  };
}

function minutesToMs(m: number | null | undefined): number | null {
  return m ? m * MINUTE : null;
}

export function computeSlaClock(input: SlaClockInput): SlaClock {
  const sla = validateSlaTargets(input.sla);
  const created = time('createdAt', input.createdAt);
  const now = time('now', input.now);
  if (now < created) throw new SlaError('INVALID_INPUT', 'now is before createdAt');

  // Events that happened (at <= now), in time order (stable), clamped to createdAt.
  const events = input.events
    .map((e, i) => ({ e, i, at: Math.max(created, time(`events[${i}].at`, e.at)) }))
    .filter((x) => x.at <= now)
    .sort((a, b) => a.at - b.at || a.i - b.i);

  const segments: Segment[] = [];
  let status: TicketStatus = input.initialStatus ?? 'open';
  let segStart = created;
  let firstReply: number | null = null;
  let solvedAt: number | null = null;
  const cycles: Array<{ start: number; end: number | null; byAgent: boolean }> = [
    { start: created, end: null, byAgent: false },
  ];
  for (const { e, at } of events) {
    const cycle = cycles[cycles.length - 1];
    if (e.type === 'status') {
      if (e.status === status) continue;
      if (at > segStart) segments.push({ start: segStart, end: at, status });
      segStart = at;
      status = e.status;
      solvedAt = status === 'solved' ? at : null;
    } else if (e.type === 'agentReply') {
      firstReply ??= at;
      cycle.end = at;
      cycles.push({ start: at, end: null, byAgent: true });
    } else if (cycle.byAgent && cycle.end === null) {
      // The customer writes after the last agent reply: the wait starts with this message.
      cycle.end = at;
      cycles.push({ start: at, end: null, byAgent: false });
    }
  }
  segments.push({ start: segStart, end: Infinity, status });

  const ctx: Ctx = { calendar: input.calendar, segments, now, warnPercent: sla.warnPercent ?? null };
  const fr = minutesToMs(sla.firstResponseMinutes);
  const up = minutesToMs(sla.updateMinutes);
  const so = minutesToMs(sla.solutionMinutes);

  const firstResponse = fr === null ? null : targetClock(ctx, created, fr, firstReply);
  const solution = so === null ? null : targetClock(ctx, created, so, solvedAt);
  let update: TargetClock | null = null;
  let updateBreaches = 0;
  if (up !== null) {
    cycles.slice(0, -1).forEach((c, i) => {
      const elapsed = runningMs(ctx, segments, c.start, c.end as number);
      // Ended by an agent reply: late only if past the deadline. Superseded by a customer
      // message: breached if the time had run out by then.
      const answered = cycles[i + 1].byAgent;
      if (answered ? elapsed > up : elapsed >= up) updateBreaches++;
    });
    const current = cycles[cycles.length - 1];
    update = targetClock(ctx, current.start, up, null);
    if (update.breached) updateBreaches++;
  }

  let nextEventAt: number | null = null;
  let nextEvent: SlaClock['nextEvent'] = null;
  const consider = (target: SlaTargetName, clock: TargetClock | null) => {
    if (!clock || !clock.running) return;
    for (const [kind, at] of [['warning', clock.warnAt], ['breach', clock.dueAt]] as const) {
      const t = at?.getTime();
      if (t !== undefined && t > now && (nextEventAt === null || t < nextEventAt)) {
        nextEventAt = t;
        nextEvent = { target, kind };
      }
    }
  };
  consider('firstResponse', firstResponse);
  consider('update', update);
  consider('solution', solution);

  return {
    status,
    firstResponse,
    update,
    updateBreaches,
    solution,
    pausedMinutes: segments
      .filter((s) => s.status === 'pending' && s.start < now)
      .reduce((sum, s) => sum + businessMsBetween(ctx.calendar, s.start, Math.min(s.end, now)), 0) / MINUTE,
    nextEventAt: nextEventAt === null ? null : new Date(nextEventAt),
    nextEvent,
  };
}
