import type { BusinessCalendar } from '@parley/api/sla/business-calendar.ts';

const weekdays = (intervals: Array<{ start: string; end: string }>) => ({
  mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals,
});

/** Mon–Fri 09:00–12:00 and 13:00–17:00 (7 h a day) in Berlin; Christmas and New Year yearly. */
export const berlinOffice: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  week: weekdays([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]),
  holidays: [{ month: 12, day: 25, name: 'Christmas' }, { month: 12, day: 26 }, { month: 1, day: 1 }],
};

export const newYorkOffice: BusinessCalendar = {
  timeZone: 'America/New_York',
  week: weekdays([{ start: '09:00', end: '17:00' }]),
  holidays: [],
};

export const moscowOffice: BusinessCalendar = {
  timeZone: 'Europe/Moscow',
  week: weekdays([{ start: '09:00', end: '18:00' }]),
  holidays: [],
};

/** Sunday-only calendar: lets a test put interval boundaries inside DST gaps and overlaps. */
export function sundays(timeZone: string, intervals: Array<{ start: string; end: string }>): BusinessCalendar {
  return { timeZone, week: { sun: intervals }, holidays: [] };
}

export const at = (iso: string) => new Date(iso);
