// businessMsExcludingPending: business time of a span minus its pending intervals (clipped to the
// span, open-ended while still pending), in the calendar's business hours.
import { describe, expect, it } from 'vitest';
import { businessMsExcludingPending } from '@parley/api/analytics/business-minutes.ts';
import { twentyFourSeven, validateCalendar } from '@parley/api/sla/business-calendar.ts';

const MIN = 60_000;
const t = (iso: string) => new Date(iso).getTime();
const office = validateCalendar({ timeZone: 'UTC', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])), holidays: [] });
const allDay = twentyFourSeven('UTC');

describe('businessMsExcludingPending', () => {
  const from = t('2026-01-12T09:00:00Z'); // Monday
  const to = t('2026-01-12T15:00:00Z');

  it('without pending intervals is the business time of the span', () => {
    expect(businessMsExcludingPending(office, from, to, [])).toBe(360 * MIN);
    expect(businessMsExcludingPending(office, to, from, [])).toBe(0);
  });

  it('subtracts only the part of each interval inside the span, touching intervals included', () => {
    expect(businessMsExcludingPending(allDay, from, to, [
      { start: t('2026-01-12T07:00:00Z'), end: t('2026-01-12T10:00:00Z') }, // 60 inside
      { start: t('2026-01-12T11:00:00Z'), end: t('2026-01-12T11:30:00Z') },
      { start: t('2026-01-12T11:30:00Z'), end: t('2026-01-12T12:00:00Z') }, // touches the previous one
      { start: t('2026-01-12T14:30:00Z'), end: null }, // still pending: up to the end of the span
      { start: t('2026-01-12T16:00:00Z'), end: t('2026-01-12T17:00:00Z') }, // after the span
    ])).toBe((360 - 60 - 60 - 30) * MIN);
  });

  it('counts pending time in business hours only (a pending night costs nothing)', () => {
    const friday = t('2026-01-09T16:00:00Z');
    const monday = t('2026-01-12T10:00:00Z');
    // Fri 16–17 + Mon 09–10 = 120 business minutes; pending Fri 16:30 → Mon 09:30 = 60 of them
    expect(businessMsExcludingPending(office, friday, monday, [{ start: t('2026-01-09T16:30:00Z'), end: t('2026-01-12T09:30:00Z') }])).toBe(60 * MIN);
  });

  it('never goes below zero', () => {
    expect(businessMsExcludingPending(office, from, to, [{ start: from - 3_600_000, end: null }])).toBe(0);
  });
});
