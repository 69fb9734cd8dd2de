import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, twentyFourSeven, validateCalendar } from '@parley/api/sla/business-calendar.ts';
import { SlaError } from '@parley/api/sla/errors.ts';
import { berlinOffice } from './calendars.ts';

function issuesOf(input: unknown): readonly string[] {
  try {
    validateCalendar(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SlaError);
    expect((e as SlaError).code).toBe('INVALID_CALENDAR');
    return (e as SlaError).issues;
  }
  throw new Error('calendar was accepted');
}

const mon = (...intervals: Array<[string, string]>) => ({
  timeZone: 'Europe/Berlin',
  week: { mon: intervals.map(([start, end]) => ({ start, end })) },
  holidays: [],
});

describe('validateCalendar', () => {
  it('accepts office, 24/7 and split-shift calendars, defaulting holidays to []', () => {
    expect(validateCalendar(berlinOffice)).toEqual(berlinOffice);
    expect(validateCalendar(twentyFourSeven('America/New_York')).week.sun).toEqual([{ start: '00:00', end: '24:00' }]);
    expect(validateCalendar({ timeZone: 'UTC', week: { sat: [{ start: '22:00', end: '24:00' }] } }).holidays).toEqual([]);
    expect(() => validateCalendar(mon(['09:00', '12:00'], ['12:00', '17:00']))).not.toThrow(); // touching is fine
  });
  it('rejects an unknown time zone by name', () => {
    expect(issuesOf({ ...berlinOffice, timeZone: 'Europe/Atlantis' })).toEqual([
      'timeZone: unknown time zone "Europe/Atlantis" (use an IANA name such as Europe/Berlin)',
    ]);
  });
  it('rejects overlapping intervals, naming both', () => {
    expect(issuesOf(mon(['09:00', '12:00'], ['13:00', '17:00'], ['11:00', '14:00']))).toEqual([
      'week.mon[2]: 11:00–14:00 overlaps 09:00–12:00',
      'week.mon[1]: 13:00–17:00 overlaps 11:00–14:00',
    ]);
  });
  it('rejects an end before (or equal to) its start, and intervals crossing midnight', () => {
    expect(issuesOf(mon(['17:00', '09:00']))).toEqual([
      'week.mon[0]: end must be after start (an interval cannot cross midnight: split it at 24:00/00:00)',
    ]);
    expect(issuesOf(mon(['09:00', '09:00']))).toHaveLength(1);
  });
  it('rejects malformed times', () => {
    expect(issuesOf(mon(['9:00', '17:00']))).toEqual(['week.mon[0].start: expected HH:mm between 00:00 and 24:00']);
    expect(issuesOf(mon(['09:00', '24:30']))).toEqual(['week.mon[0].end: expected HH:mm between 00:00 and 24:00']);
    expect(issuesOf(mon(['24:00', '24:00']))).toHaveLength(1);
  });
  it('rejects a calendar without any working hours and unknown weekday keys', () => {
    expect(issuesOf({ timeZone: 'UTC', week: {}, holidays: [] })).toEqual(['week: calendar has no working hours at all']);
    expect(issuesOf({ timeZone: 'UTC', week: { monday: [{ start: '09:00', end: '17:00' }] }, holidays: [] })).toContain(
      'week: Unrecognized key: "monday"',
    );
  });
  it('rejects impossible holidays', () => {
    const bad = (holidays: unknown[]) => issuesOf({ ...berlinOffice, holidays });
    expect(bad([{ date: '2027-02-29' }])).toEqual(['holidays[0].date: not a calendar date']);
    expect(bad([{ date: '25.12.2026' }])).toEqual(['holidays[0].date: expected YYYY-MM-DD']);
    expect(bad([{ month: 4, day: 31 }])).toEqual(['holidays[0]: no such day in that month']);
    expect(bad([{ month: 13, day: 1 }])).toHaveLength(1);
    expect(() => validateCalendar({ ...berlinOffice, holidays: [{ month: 2, day: 29 }] })).not.toThrow();
  });
  it('reports every problem at once', () => {
    const issues = issuesOf({ timeZone: 'Nowhere', week: { tue: [{ start: '18:00', end: '08:00' }] }, holidays: [{ date: 'x' }] });
    expect(issues).toHaveLength(3);
  });
  it('the arithmetic functions refuse an invalid calendar with the same error', () => {
    const cal = { ...berlinOffice, timeZone: 'Mars/Olympus' };
    expect(() => addBusinessMinutes(cal, new Date(), 1)).toThrow(SlaError);
    expect(() => addBusinessMinutes(cal, new Date(), 1)).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
