import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isBusinessTime,
  nextBusinessStart,
  twentyFourSeven,
} from '@parley/api/sla/business-calendar.ts';
import type { BusinessCalendar } from '@parley/api/sla/business-calendar.ts';
import { at, berlinOffice, moscowOffice, newYorkOffice, sundays } from './calendars.ts';

const add = (c: BusinessCalendar, from: string, minutes: number) => addBusinessMinutes(c, at(from), minutes).toISOString();
const between = (c: BusinessCalendar, from: string, to: string) => businessMinutesBetween(c, at(from), at(to));

describe('addBusinessMinutes: office hours with lunch break (Berlin)', () => {
  it('stays inside one interval', () => {
    expect(add(berlinOffice, '2026-11-23T09:00:00+01:00', 90)).toBe(at('2026-11-23T10:30:00+01:00').toISOString());
  });
  it('skips the lunch break', () => {
    expect(add(berlinOffice, '2026-11-23T11:30:00+01:00', 60)).toBe(at('2026-11-23T13:30:00+01:00').toISOString());
  });
  it('ends exactly at closing time rather than at the next opening', () => {
    expect(add(berlinOffice, '2026-11-23T09:00:00+01:00', 420)).toBe(at('2026-11-23T17:00:00+01:00').toISOString());
    expect(add(berlinOffice, '2026-11-23T11:00:00+01:00', 60)).toBe(at('2026-11-23T12:00:00+01:00').toISOString());
  });
  it('skips the weekend', () => {
    expect(add(berlinOffice, '2026-11-20T16:00:00+01:00', 120)).toBe(at('2026-11-23T10:00:00+01:00').toISOString());
  });
  it('starting outside business hours counts from the next opening', () => {
    expect(add(berlinOffice, '2026-11-21T10:00:00+01:00', 30)).toBe(at('2026-11-23T09:30:00+01:00').toISOString());
    expect(add(berlinOffice, '2026-11-23T12:15:00+01:00', 30)).toBe(at('2026-11-23T13:30:00+01:00').toISOString());
    expect(add(berlinOffice, '2026-11-23T20:00:00+01:00', 1)).toBe(at('2026-11-24T09:01:00+01:00').toISOString());
  });
  it('adding zero returns the start instant unchanged, even outside business hours', () => {
    expect(add(berlinOffice, '2026-11-21T10:00:00+01:00', 0)).toBe(at('2026-11-21T10:00:00+01:00').toISOString());
  });
  it('spans weeks: 2 weeks of business time (70 h) from Monday 09:00 ends Friday 17:00 of the next week', () => {
    expect(add(berlinOffice, '2026-11-02T09:00:00+01:00', 14 * 60 * 5)).toBe(at('2026-11-13T17:00:00+01:00').toISOString());
  });
  it('keeps fractional minutes (ms precision)', () => {
    expect(add(berlinOffice, '2026-11-23T09:00:00+01:00', 0.5)).toBe(at('2026-11-23T09:00:30+01:00').toISOString());
  });
  it('rejects negative or non-finite minutes and invalid dates', () => {
    expect(() => addBusinessMinutes(berlinOffice, at('2026-11-23T09:00:00Z'), -1)).toThrow(/cannot add/);
    expect(() => addBusinessMinutes(berlinOffice, at('2026-11-23T09:00:00Z'), Infinity)).toThrow(/cannot add/);
    expect(() => addBusinessMinutes(berlinOffice, new Date('nope'), 1)).toThrow(/not a valid Date/);
  });
});

describe('holidays', () => {
  it('yearly holiday (Christmas, Boxing Day) and the weekend are skipped', () => {
    // Thu 24 Dec 16:00 -> 60 min that day; Fri 25 and Sat 26 holidays, Sun closed -> Mon 28 10:00
    expect(add(berlinOffice, '2026-12-24T16:00:00+01:00', 120)).toBe(at('2026-12-28T10:00:00+01:00').toISOString());
  });
  it('crosses the year boundary over a yearly New Year holiday', () => {
    // Thu 31 Dec 2026 16:00; Fri 1 Jan 2027 is a holiday -> Mon 4 Jan 2027 10:00
    expect(add(berlinOffice, '2026-12-31T16:00:00+01:00', 120)).toBe(at('2027-01-04T10:00:00+01:00').toISOString());
  });
  it('one-off date holiday closes that day only', () => {
    const cal = { ...berlinOffice, holidays: [{ date: '2026-11-24', name: 'company day' }] };
    expect(add(cal, '2026-11-23T16:00:00+01:00', 120)).toBe(at('2026-11-25T10:00:00+01:00').toISOString());
    expect(between(cal, '2026-11-23T00:00:00+01:00', '2026-11-28T00:00:00+01:00')).toBe(4 * 420);
    // The same date a year later is a normal working day
    expect(between(cal, '2027-11-24T00:00:00+01:00', '2027-11-25T00:00:00+01:00')).toBe(420);
  });
  it('yearly 29 February applies in leap years only; the leap day itself is a working day otherwise', () => {
    const leapHoliday = { ...berlinOffice, holidays: [{ month: 2, day: 29 }] };
    // Mon 28 Feb 2028 16:00; Tue 29 Feb 2028 holiday -> Wed 1 Mar 10:00
    expect(add(leapHoliday, '2028-02-28T16:00:00+01:00', 120)).toBe(at('2028-03-01T10:00:00+01:00').toISOString());
    // Without the holiday, Mon 28 Feb .. Wed 1 Mar 2028 (exclusive) holds 2 working days incl. the leap day
    expect(between(berlinOffice, '2028-02-28T00:00:00+01:00', '2028-03-01T00:00:00+01:00')).toBe(840);
    expect(add(berlinOffice, '2028-02-28T16:00:00+01:00', 120)).toBe(at('2028-02-29T10:00:00+01:00').toISOString());
    // 2027 has no 29 Feb: Fri 26 Feb -> Mon 1 Mar
    expect(add(leapHoliday, '2027-02-26T16:00:00+01:00', 120)).toBe(at('2027-03-01T10:00:00+01:00').toISOString());
  });
});

describe('businessMinutesBetween', () => {
  it('counts a working week (5 x 7 h)', () => {
    expect(between(berlinOffice, '2026-11-23T00:00:00+01:00', '2026-11-30T00:00:00+01:00')).toBe(2100);
  });
  it('counts partial intervals and excludes lunch', () => {
    expect(between(berlinOffice, '2026-11-23T11:00:00+01:00', '2026-11-23T14:00:00+01:00')).toBe(120);
  });
  it('is zero for equal instants and inside closed time, negative when reversed', () => {
    expect(between(berlinOffice, '2026-11-23T10:00:00+01:00', '2026-11-23T10:00:00+01:00')).toBe(0);
    expect(between(berlinOffice, '2026-11-21T10:00:00+01:00', '2026-11-22T10:00:00+01:00')).toBe(0);
    expect(between(berlinOffice, '2026-11-23T14:00:00+01:00', '2026-11-23T11:00:00+01:00')).toBe(-120);
  });
  it('over a whole year: 2027 has 261 weekdays, minus Christmas (Sat 25, Sun 26: none) and New Year (Fri)', () => {
    expect(between(berlinOffice, '2027-01-01T00:00:00+01:00', '2028-01-01T00:00:00+01:00')).toBe(260 * 420);
  });
});

describe('isBusinessTime and nextBusinessStart', () => {
  it('windows are [open, close)', () => {
    expect(isBusinessTime(berlinOffice, at('2026-11-23T09:00:00+01:00'))).toBe(true);
    expect(isBusinessTime(berlinOffice, at('2026-11-23T08:59:59.999+01:00'))).toBe(false);
    expect(isBusinessTime(berlinOffice, at('2026-11-23T12:00:00+01:00'))).toBe(false);
    expect(isBusinessTime(berlinOffice, at('2026-11-23T16:59:59+01:00'))).toBe(true);
    expect(isBusinessTime(berlinOffice, at('2026-11-23T17:00:00+01:00'))).toBe(false);
    expect(isBusinessTime(berlinOffice, at('2026-12-25T10:00:00+01:00'))).toBe(false);
  });
  it('nextBusinessStart returns the instant itself inside hours, else the next opening', () => {
    const next = (iso: string) => nextBusinessStart(berlinOffice, at(iso)).toISOString();
    expect(next('2026-11-23T10:00:00+01:00')).toBe(at('2026-11-23T10:00:00+01:00').toISOString());
    expect(next('2026-11-23T12:30:00+01:00')).toBe(at('2026-11-23T13:00:00+01:00').toISOString());
    expect(next('2026-11-21T12:00:00+01:00')).toBe(at('2026-11-23T09:00:00+01:00').toISOString());
    expect(next('2026-12-24T17:00:00+01:00')).toBe(at('2026-12-28T09:00:00+01:00').toISOString());
  });
});

describe('DST in Europe/Berlin (2026: spring forward Sun 29 Mar 02:00->03:00, fall back Sun 25 Oct 03:00->02:00)', () => {
  const berlin247 = twentyFourSeven('Europe/Berlin');
  it('24/7: the spring-forward day has 23 h, the fall-back day 25 h', () => {
    expect(between(berlin247, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(23 * 60);
    expect(between(berlin247, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(25 * 60);
  });
  it('24/7: adding a day of minutes adds 24 real hours (13:00 local after spring forward)', () => {
    expect(add(berlin247, '2026-03-28T12:00:00+01:00', 1440)).toBe(at('2026-03-29T13:00:00+02:00').toISOString());
    expect(add(berlin247, '2026-10-24T12:00:00+02:00', 1440)).toBe(at('2026-10-25T11:00:00+01:00').toISOString());
  });
  it('office hours across the DST weekends keep local opening times', () => {
    expect(add(berlinOffice, '2026-03-27T16:00:00+01:00', 120)).toBe(at('2026-03-30T10:00:00+02:00').toISOString());
    expect(add(berlinOffice, '2026-10-23T16:00:00+02:00', 120)).toBe(at('2026-10-26T10:00:00+01:00').toISOString());
    expect(between(berlinOffice, '2026-03-23T00:00:00+01:00', '2026-04-06T00:00:00+02:00')).toBe(10 * 420);
  });
  it('spring forward: a shift 00:00-06:00 lasts 5 real hours', () => {
    const night = sundays('Europe/Berlin', [{ start: '00:00', end: '06:00' }]);
    expect(between(night, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toBe(300);
    expect(add(night, '2026-03-29T01:30:00+01:00', 60)).toBe(at('2026-03-29T03:30:00+02:00').toISOString());
  });
  it('spring forward: a boundary inside the gap (02:30) maps to the transition instant (03:00 CEST)', () => {
    const before = sundays('Europe/Berlin', [{ start: '01:00', end: '02:30' }]);
    expect(between(before, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toBe(60);
    expect(add(before, '2026-03-29T01:00:00+01:00', 60)).toBe(at('2026-03-29T03:00:00+02:00').toISOString());
    const after = sundays('Europe/Berlin', [{ start: '02:30', end: '05:00' }]);
    expect(between(after, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toBe(120);
    expect(nextBusinessStart(after, at('2026-03-29T00:00:00+01:00')).toISOString()).toBe(at('2026-03-29T03:00:00+02:00').toISOString());
    // An interval lying wholly in the gap vanishes that day
    const swallowed = sundays('Europe/Berlin', [{ start: '02:10', end: '02:50' }]);
    expect(between(swallowed, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toBe(0);
    expect(between(swallowed, '2026-03-21T00:00:00Z', '2026-03-23T00:00:00Z')).toBe(40);
  });
  it('fall back: a shift 00:00-06:00 lasts 7 real hours; the repeated hour is counted once each time it passes', () => {
    const night = sundays('Europe/Berlin', [{ start: '00:00', end: '06:00' }]);
    expect(between(night, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toBe(420);
    // from 01:30 CEST, 120 min of real time later the clock reads 02:30 CET
    expect(add(night, '2026-10-25T01:30:00+02:00', 120)).toBe(at('2026-10-25T02:30:00+01:00').toISOString());
  });
  it('fall back: a boundary inside the repeated hour maps to its first occurrence (CEST)', () => {
    const closesInOverlap = sundays('Europe/Berlin', [{ start: '01:00', end: '02:30' }]);
    expect(between(closesInOverlap, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toBe(90);
    expect(isBusinessTime(closesInOverlap, at('2026-10-25T02:10:00+02:00'))).toBe(true);
    expect(isBusinessTime(closesInOverlap, at('2026-10-25T02:10:00+01:00'))).toBe(false);
    const opensInOverlap = sundays('Europe/Berlin', [{ start: '02:30', end: '04:00' }]);
    // 02:30 CEST (00:30Z) .. 04:00 CET (03:00Z)
    expect(between(opensInOverlap, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toBe(150);
    expect(nextBusinessStart(opensInOverlap, at('2026-10-25T00:00:00Z')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('DST in America/New_York (2026: spring forward Sun 8 Mar 02:00->03:00, fall back Sun 1 Nov 02:00->01:00)', () => {
  it('office hours across the DST weekends', () => {
    expect(add(newYorkOffice, '2026-03-06T16:00:00-05:00', 120)).toBe('2026-03-09T14:00:00.000Z'); // Mon 10:00 EDT
    expect(add(newYorkOffice, '2026-10-30T16:00:00-04:00', 120)).toBe('2026-11-02T15:00:00.000Z'); // Mon 10:00 EST
    expect(between(newYorkOffice, '2026-03-02T00:00:00-05:00', '2026-03-16T00:00:00-04:00')).toBe(10 * 480);
  });
  it('24/7 days of 23 h and 25 h', () => {
    const ny = twentyFourSeven('America/New_York');
    expect(between(ny, '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00')).toBe(23 * 60);
    expect(between(ny, '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00')).toBe(25 * 60);
  });
  it('gap and overlap boundaries', () => {
    const gap = sundays('America/New_York', [{ start: '02:30', end: '04:00' }]);
    expect(nextBusinessStart(gap, at('2026-03-08T00:00:00-05:00')).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(between(gap, '2026-03-07T00:00:00Z', '2026-03-09T00:00:00Z')).toBe(60);
    const overlap = sundays('America/New_York', [{ start: '00:30', end: '01:30' }]);
    // closes at the first 01:30 (EDT)
    expect(between(overlap, '2026-10-31T00:00:00Z', '2026-11-02T00:00:00Z')).toBe(60);
    expect(add(overlap, '2026-11-01T00:30:00-04:00', 60)).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('Europe/Moscow (UTC+3 all year, no DST)', () => {
  it('office hours are unaffected by the European DST weekend', () => {
    expect(add(moscowOffice, '2026-03-27T17:00:00+03:00', 120)).toBe('2026-03-30T07:00:00.000Z');
    expect(between(moscowOffice, '2026-10-19T00:00:00+03:00', '2026-11-02T00:00:00+03:00')).toBe(10 * 540);
    expect(between(twentyFourSeven('Europe/Moscow'), '2026-10-25T00:00:00+03:00', '2026-10-26T00:00:00+03:00')).toBe(1440);
  });
});

describe('24/7 calendar', () => {
  const utc = twentyFourSeven();
  it('business time is real time', () => {
    expect(add(utc, '2026-11-22T10:00:00Z', 10_000)).toBe(new Date(Date.parse('2026-11-22T10:00:00Z') + 10_000 * 60_000).toISOString());
    expect(between(utc, '2024-02-28T00:00:00Z', '2024-03-01T00:00:00Z')).toBe(2 * 1440);
    expect(isBusinessTime(utc, at('2026-12-25T00:00:00Z'))).toBe(true);
  });
  it('holidays still close a 24/7 calendar', () => {
    const cal = { ...twentyFourSeven('Europe/Berlin'), holidays: [{ month: 12, day: 25 }] };
    expect(add(cal, '2026-12-24T23:00:00+01:00', 120)).toBe(at('2026-12-26T01:00:00+01:00').toISOString());
  });
});

describe('add and between agree (seeded random round trips across DST dates)', () => {
  const calendars: BusinessCalendar[] = [
    berlinOffice,
    newYorkOffice,
    moscowOffice,
    sundays('Europe/Berlin', [{ start: '00:00', end: '02:30' }, { start: '02:30', end: '06:00' }, { start: '22:00', end: '24:00' }]),
    sundays('America/New_York', [{ start: '01:15', end: '02:45' }]),
  ];
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  it('between(from, add(from, m)) === m for 500 cases', () => {
    for (let i = 0; i < 500; i++) {
      const cal = calendars[i % calendars.length];
      const from = new Date(Date.parse('2026-01-01T00:00:00Z') + Math.floor(rand() * 365 * 86_400_000));
      const minutes = Math.floor(rand() * 5000);
      const due = addBusinessMinutes(cal, from, minutes);
      expect(businessMinutesBetween(cal, from, due)).toBe(minutes);
      // and `due` is the earliest such instant: 1 ms earlier, 1 ms of business time is missing
      if (minutes > 0) expect(businessMinutesBetween(cal, from, new Date(due.getTime() - 1)) * 60_000).toBeCloseTo(minutes * 60_000 - 1, 3);
    }
  });
});
