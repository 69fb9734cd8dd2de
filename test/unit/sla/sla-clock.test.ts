import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeSlaClock } from '@parley/api/sla/sla-clock.ts';
import type { SlaClockInput, SlaEvent } from '@parley/api/sla/sla-clock.ts';
import type { SlaTargets } from '@parley/api/sla/sla-policy.ts';
import type { BusinessCalendar } from '@parley/api/sla/business-calendar.ts';
import { twentyFourSeven } from '@parley/api/sla/business-calendar.ts';
import { berlinOffice } from './calendars.ts';

const nine2five = [{ start: '09:00', end: '17:00' }];
/** Mon–Fri 09:00–17:00 UTC: 480 business minutes a day. */
const office: BusinessCalendar = {
  timeZone: 'UTC',
  week: { mon: nine2five, tue: nine2five, wed: nine2five, thu: nine2five, fri: nine2five },
  holidays: [],
};
// Mon 23, Tue 24, Wed 25 Nov 2026
const mon = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00Z`);
const tue = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00Z`);
const wed = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00Z`);
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

const full: SlaTargets = { firstResponseMinutes: 60, updateMinutes: 120, solutionMinutes: 480, warnPercent: 80 };
const clock = (over: Partial<SlaClockInput> & { now: Date }) =>
  computeSlaClock({ sla: full, calendar: office, createdAt: mon('10:00'), events: [], ...over });
const status = (at: Date, s: 'open' | 'pending' | 'solved'): SlaEvent => ({ type: 'status', at, status: s });
const reply = (at: Date): SlaEvent => ({ type: 'agentReply', at });
const customer = (at: Date): SlaEvent => ({ type: 'customerMessage', at });

describe('a new ticket', () => {
  const c = clock({ now: mon('10:00') });
  it('has all three deadlines and warnings at 80 %', () => {
    expect(iso(c.firstResponse?.dueAt)).toBe(iso(mon('11:00')));
    expect(iso(c.firstResponse?.warnAt)).toBe(iso(mon('10:48')));
    expect(iso(c.update?.dueAt)).toBe(iso(mon('12:00')));
    expect(iso(c.update?.warnAt)).toBe(iso(mon('11:36')));
    expect(iso(c.solution?.dueAt)).toBe(iso(tue('10:00'))); // 420 min on Monday + 60 on Tuesday
    expect(iso(c.solution?.warnAt)).toBe(iso(mon('16:24'))); // 384 min
  });
  it('nothing is breached, met or paused; the next event is the first-response warning', () => {
    for (const t of [c.firstResponse, c.update, c.solution]) {
      expect(t).toMatchObject({ running: true, breached: false, warned: false, metAt: null, metInTime: null, elapsedMinutes: 0 });
    }
    expect(c.pausedMinutes).toBe(0);
    expect(iso(c.nextEventAt)).toBe(iso(mon('10:48')));
    expect(c.nextEvent).toEqual({ target: 'firstResponse', kind: 'warning' });
  });
  it('a ticket created after hours is due the next business morning', () => {
    const late = clock({ createdAt: mon('16:30'), now: mon('16:30') });
    expect(iso(late.firstResponse?.dueAt)).toBe(iso(tue('09:30')));
    expect(iso(late.firstResponse?.warnAt)).toBe(iso(tue('09:18')));
  });
});

describe('first response', () => {
  it('met in time', () => {
    const c = clock({ events: [reply(mon('10:30'))], now: mon('10:45') });
    expect(c.firstResponse).toMatchObject({ metInTime: true, breached: false, running: false, elapsedMinutes: 30, remainingMinutes: 30 });
    expect(iso(c.firstResponse?.metAt)).toBe(iso(mon('10:30')));
    expect(iso(c.firstResponse?.dueAt)).toBe(iso(mon('11:00')));
    // the reply starts a new update cycle: 10:30 + 120 min, warning at 96 min
    expect(iso(c.update?.startedAt)).toBe(iso(mon('10:30')));
    expect(iso(c.update?.dueAt)).toBe(iso(mon('12:30')));
    expect(iso(c.nextEventAt)).toBe(iso(mon('12:06')));
    expect(c.nextEvent).toEqual({ target: 'update', kind: 'warning' });
  });
  it('met exactly at the deadline is in time', () => {
    const c = clock({ events: [reply(mon('11:00'))], now: mon('11:00') });
    expect(c.firstResponse).toMatchObject({ metInTime: true, breached: false, warned: true });
  });
  it('met late', () => {
    const c = clock({ events: [reply(mon('11:30'))], now: mon('12:00') });
    expect(c.firstResponse).toMatchObject({ metInTime: false, breached: true, elapsedMinutes: 90, remainingMinutes: -30 });
    expect(iso(c.firstResponse?.dueAt)).toBe(iso(mon('11:00')));
  });
  it('unmet past the deadline is breached and no longer scheduled', () => {
    const c = clock({ now: mon('11:10') });
    expect(c.firstResponse).toMatchObject({ breached: true, warned: true, running: true, remainingMinutes: -10 });
    expect(iso(c.nextEventAt)).toBe(iso(mon('11:36'))); // update warning is next
    expect(c.nextEvent).toEqual({ target: 'update', kind: 'warning' });
  });
  it('breaches exactly at its deadline (the worker job fires with now = dueAt)', () => {
    expect(clock({ now: mon('11:00') }).firstResponse?.breached).toBe(true);
    expect(clock({ now: new Date(mon('11:00').getTime() - 1) }).firstResponse?.breached).toBe(false);
  });
});

describe('pause in pending states', () => {
  const sla: SlaTargets = { solutionMinutes: 480, warnPercent: 80 };
  const events = [status(mon('15:00'), 'pending'), status(wed('11:00'), 'open')];
  it('while pending the deadline is unknown and nothing is scheduled', () => {
    const c = clock({ sla, events, now: tue('12:00') });
    expect(c.status).toBe('pending');
    expect(c.solution).toMatchObject({ running: false, dueAt: null, warnAt: null, elapsedMinutes: 300, remainingMinutes: 180 });
    expect(c.pausedMinutes).toBe(120 + 180); // Mon 15-17, Tue 09-12
    expect(c.nextEventAt).toBeNull();
  });
  it('after resuming, the paused business time extends the deadline', () => {
    const c = clock({ sla, events, now: wed('12:00') });
    expect(c.pausedMinutes).toBe(120 + 480 + 120); // Mon 15-17, all Tuesday, Wed 09-11
    expect(c.solution).toMatchObject({ running: true, elapsedMinutes: 360, breached: false });
    expect(iso(c.solution?.dueAt)).toBe(iso(wed('14:00'))); // 180 min left from Wed 11:00
    expect(iso(c.solution?.warnAt)).toBe(iso(wed('12:24')));
    expect(iso(c.nextEventAt)).toBe(iso(wed('12:24')));
  });
  it('pending also pauses first response and update', () => {
    const c = clock({ events: [status(mon('10:15'), 'pending'), status(tue('09:00'), 'open')], now: tue('09:00') });
    expect(iso(c.firstResponse?.dueAt)).toBe(iso(tue('09:45')));
    expect(iso(c.update?.dueAt)).toBe(iso(tue('10:45')));
    expect(c.pausedMinutes).toBe(405); // Mon 10:15-17:00
  });
  it('a target breached before the pause stays breached and keeps its deadline', () => {
    const c = clock({ sla: { firstResponseMinutes: 60 }, events: [status(mon('12:00'), 'pending')], now: tue('12:00') });
    expect(c.firstResponse).toMatchObject({ breached: true, running: false, elapsedMinutes: 120 });
    expect(iso(c.firstResponse?.dueAt)).toBe(iso(mon('11:00')));
  });
  it('a ticket created pending starts paused', () => {
    const c = clock({ sla, initialStatus: 'pending', events: [status(tue('09:00'), 'open')], now: tue('09:00') });
    expect(iso(c.solution?.dueAt)).toBe(iso(tue('17:00')));
    expect(c.pausedMinutes).toBe(420);
  });
});

describe('warning percentage', () => {
  it('50 % warns half-way through the allowed business time', () => {
    const c = clock({ sla: { solutionMinutes: 480, warnPercent: 50 }, now: mon('14:00') });
    expect(iso(c.solution?.warnAt)).toBe(iso(mon('14:00')));
    expect(c.solution?.warned).toBe(true);
    expect(iso(c.nextEventAt)).toBe(iso(tue('10:00')));
    expect(c.nextEvent).toEqual({ target: 'solution', kind: 'breach' });
  });
  it('no warnPercent: no warnings, the breach is the next event', () => {
    const c = clock({ sla: { solutionMinutes: 480 }, now: mon('10:00') });
    expect(c.solution?.warnAt).toBeNull();
    expect(c.solution?.warned).toBe(false);
    expect(iso(c.nextEventAt)).toBe(iso(tue('10:00')));
  });
  it('fractional warning points are kept to the millisecond', () => {
    const c = clock({ sla: { firstResponseMinutes: 7, warnPercent: 33 }, now: mon('10:00') });
    expect(iso(c.firstResponse?.warnAt)).toBe('2026-11-23T10:02:18.600Z'); // 7 min * 0.33 = 138.6 s
  });
});

describe('solution and reopen', () => {
  const sla: SlaTargets = { solutionMinutes: 480, warnPercent: 80 };
  it('solved in time', () => {
    const c = clock({ sla, events: [status(mon('14:00'), 'solved')], now: mon('15:00') });
    expect(c.status).toBe('solved');
    expect(c.solution).toMatchObject({ metInTime: true, breached: false, running: false, elapsedMinutes: 240 });
    expect(iso(c.solution?.metAt)).toBe(iso(mon('14:00')));
    expect(iso(c.solution?.dueAt)).toBe(iso(tue('10:00')));
    expect(c.nextEventAt).toBeNull();
  });
  const reopened = [status(mon('14:00'), 'solved'), customer(tue('10:00')), status(tue('10:00'), 'open')];
  it('a reopen clears the met state; time while solved does not count', () => {
    const c = clock({ sla, events: reopened, now: tue('12:00') });
    expect(c.status).toBe('open');
    expect(c.solution).toMatchObject({ metAt: null, metInTime: null, running: true, elapsedMinutes: 360, breached: false });
    expect(iso(c.solution?.dueAt)).toBe(iso(tue('14:00'))); // 240 min left from the reopen
    expect(iso(c.solution?.warnAt)).toBe(iso(tue('12:24')));
    expect(c.pausedMinutes).toBe(0); // solved time is not "pending"
  });
  it('solved again after the (extended) deadline is late', () => {
    const c = clock({ sla, events: [...reopened, status(wed('09:30'), 'solved')], now: wed('10:00') });
    expect(c.solution).toMatchObject({ metInTime: false, breached: true, elapsedMinutes: 240 + 420 + 30 });
    expect(iso(c.solution?.metAt)).toBe(iso(wed('09:30')));
    expect(iso(c.solution?.dueAt)).toBe(iso(tue('14:00')));
  });
  it('solved again before it is in time', () => {
    const c = clock({ sla, events: [...reopened, status(tue('13:00'), 'solved')], now: wed('10:00') });
    expect(c.solution).toMatchObject({ metInTime: true, breached: false, elapsedMinutes: 240 + 180 });
    expect(iso(c.solution?.dueAt)).toBe(iso(tue('14:00')));
  });
  it('closing without an agent reply stops the first-response clock without meeting it', () => {
    const c = clock({ events: [status(mon('10:30'), 'solved')], now: tue('10:00') });
    expect(c.firstResponse).toMatchObject({ metAt: null, running: false, breached: false, dueAt: null, elapsedMinutes: 30 });
    expect(c.nextEventAt).toBeNull();
  });
});

describe('update time (recurring, OTRS semantics)', () => {
  const sla: SlaTargets = { updateMinutes: 120 };
  it('an agent reply restarts the clock; a later customer message restarts it at the first unanswered message', () => {
    const events = [reply(mon('10:30')), customer(mon('11:00')), customer(mon('11:30'))];
    const c = clock({ sla, events, now: mon('12:00') });
    expect(iso(c.update?.startedAt)).toBe(iso(mon('11:00')));
    expect(iso(c.update?.dueAt)).toBe(iso(mon('13:00')));
    expect(c.updateBreaches).toBe(0);
  });
  it('a late answer counts as a breached cycle and starts a new one', () => {
    const events = [reply(mon('10:30')), customer(mon('11:00')), reply(mon('14:00'))];
    const c = clock({ sla, events, now: mon('14:30') });
    expect(c.updateBreaches).toBe(1);
    expect(iso(c.update?.startedAt)).toBe(iso(mon('14:00')));
    expect(iso(c.update?.dueAt)).toBe(iso(mon('16:00')));
    expect(c.update?.breached).toBe(false);
  });
  it('the current cycle counts once it is breached', () => {
    const c = clock({ sla, events: [reply(mon('10:30'))], now: mon('16:00') });
    expect(c.update?.breached).toBe(true);
    expect(c.updateBreaches).toBe(1);
    expect(c.nextEventAt).toBeNull();
  });
});

describe('zero and absent targets', () => {
  it('an SLA without targets computes nothing', () => {
    const c = clock({ sla: {}, now: mon('12:00') });
    expect(c).toMatchObject({ firstResponse: null, update: null, solution: null, nextEventAt: null, nextEvent: null, updateBreaches: 0 });
  });
  it('0 and null mean "no target"', () => {
    const c = clock({ sla: { firstResponseMinutes: 0, updateMinutes: null, solutionMinutes: 480 }, now: mon('12:00') });
    expect(c.firstResponse).toBeNull();
    expect(c.update).toBeNull();
    expect(c.solution).not.toBeNull();
  });
  it('invalid targets are refused', () => {
    expect(() => clock({ sla: { firstResponseMinutes: -5 }, now: mon('12:00') })).toThrow(/INVALID_SLA|Invalid SLA/);
    expect(() => clock({ sla: { solutionMinutes: 1.5 }, now: mon('12:00') })).toThrow(/solutionMinutes/);
    expect(() => clock({ sla: { warnPercent: 100 }, now: mon('12:00') })).toThrow(/warnPercent/);
    expect(() => clock({ now: new Date('2026-11-22T00:00:00Z') })).toThrow(/now is before createdAt/);
  });
});

describe('timeline handling and determinism', () => {
  afterEach(() => vi.useRealTimers());
  it('sorts events, ignores those after now, clamps those before creation', () => {
    const events = [reply(mon('11:30')), status(mon('09:00'), 'pending'), status(mon('10:30'), 'open'), reply(tue('09:00'))];
    const c = clock({ events, now: mon('12:00') });
    // pending from creation to 10:30: first response 60 min from 10:30
    expect(iso(c.firstResponse?.dueAt)).toBe(iso(mon('11:30')));
    expect(c.firstResponse?.metInTime).toBe(true);
    expect(c.pausedMinutes).toBe(30);
  });
  it('does not read the system clock', () => {
    const input = { sla: full, calendar: office, createdAt: mon('10:00'), events: [reply(mon('10:30'))], now: mon('11:00') };
    const a = computeSlaClock(input);
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
    expect(computeSlaClock(input)).toEqual(a);
  });
  it('a 24/7 calendar across the Berlin spring-forward night counts real hours', () => {
    const c = computeSlaClock({
      sla: { solutionMinutes: 1440 },
      calendar: twentyFourSeven('Europe/Berlin'),
      createdAt: new Date('2026-03-28T12:00:00+01:00'),
      events: [],
      now: new Date('2026-03-28T12:00:00+01:00'),
    });
    expect(iso(c.solution?.dueAt)).toBe(iso(new Date('2026-03-29T13:00:00+02:00')));
  });
  it('pending across the Berlin fall-back weekend with lunch breaks', () => {
    const c = computeSlaClock({
      sla: { solutionMinutes: 480, warnPercent: 80 },
      calendar: berlinOffice,
      createdAt: new Date('2026-10-23T16:00:00+02:00'),
      events: [
        { type: 'status', at: new Date('2026-10-23T16:30:00+02:00'), status: 'pending' },
        { type: 'status', at: new Date('2026-10-26T10:00:00+01:00'), status: 'open' },
      ],
      now: new Date('2026-10-26T11:00:00+01:00'),
    });
    // 30 min on Friday, then from Monday 10:00: 10-12, 13-17 (360) and 90 min on Tuesday
    expect(iso(c.solution?.dueAt)).toBe(iso(new Date('2026-10-27T10:30:00+01:00')));
    expect(c.pausedMinutes).toBe(30 + 60);
    expect(c.solution?.elapsedMinutes).toBe(90);
    // warning at 384 min: 30 Fri + 354 from Mon 10:00 -> 10-12 (120), 13:00 + 234 min = 16:54
    expect(iso(c.solution?.warnAt)).toBe(iso(new Date('2026-10-26T16:54:00+01:00')));
  });
});
