import { IANAZone } from 'luxon';
import { z } from 'zod';
import { SlaError } from './errors.ts';

/** Weekday keys, Monday first (ISO order). JSON-friendly, no 0-vs-1 Sunday ambiguity. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock interval, start inclusive, end exclusive; 'HH:mm', end may be '24:00'. */
export type BusinessInterval = { start: string; end: string };
export type Holiday = { date: string; name?: string } | { month: number; day: number; name?: string };
export type BusinessCalendar = {
  timeZone: string;
  /** Missing or empty day = closed. */
  week: Partial<Record<Weekday, BusinessInterval[]>>;
  holidays: Holiday[];
};

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const time = z.string().regex(HHMM, 'expected HH:mm between 00:00 and 24:00');

const interval = z
  .strictObject({ start: time, end: time })
  .refine((i) => !HHMM.test(i.start) || !HHMM.test(i.end) || minutesOfDay(i.end) > minutesOfDay(i.start), {
    message: 'end must be after start (an interval cannot cross midnight: split it at 24:00/00:00)',
  });

const day = z.array(interval).superRefine((intervals, ctx) => {
  const sorted = intervals
    .map((i, index) => ({ ...i, index, s: minutesOfDay(i.start), e: minutesOfDay(i.end) }))
    .sort((a, b) => a.s - b.s);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1];
    const cur = sorted[k];
    if (cur.s < prev.e) {
      ctx.addIssue({
        code: 'custom',
        path: [cur.index],
        message: `${cur.start}–${cur.end} overlaps ${prev.start}–${prev.end}`,
      });
    }
  }
});

const isoDate = z.string().superRefine((s, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    ctx.addIssue({ code: 'custom', message: 'expected YYYY-MM-DD' });
    return;
  }
  const [y, m, d] = s.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) {
    ctx.addIssue({ code: 'custom', message: 'not a calendar date' });
  }
});

const name = z.string().max(200).optional();
const holiday = z.union([
  z.strictObject({ date: isoDate, name }),
  z
    .strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31), name })
    .refine((h) => !(h.month >= 1 && h.month <= 12) || h.day <= DAYS_IN_MONTH[h.month - 1], 'no such day in that month'),
]);

export const calendarSchema = z
  .strictObject({
    timeZone: z.string().superRefine((tz, ctx) => {
      if (!IANAZone.isValidZone(tz)) {
        ctx.addIssue({ code: 'custom', message: `unknown time zone "${tz}" (use an IANA name such as Europe/Berlin)` });
      }
    }),
    week: z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, day.optional()])) as Record<Weekday, z.ZodOptional<typeof day>>),
    holidays: z.array(holiday).default([]),
  })
  .refine((c) => WEEKDAYS.some((d) => (c.week[d]?.length ?? 0) > 0), {
    message: 'calendar has no working hours at all',
    path: ['week'],
  });

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path) || '(calendar)'}: ${i.message}`);
}

/** Parses and checks a calendar; throws SlaError('INVALID_CALENDAR') listing every problem. */
export function validateCalendar(input: unknown): BusinessCalendar {
  const result = calendarSchema.safeParse(input);
  if (!result.success) throw new SlaError('INVALID_CALENDAR', 'Invalid business calendar', formatIssues(result.error));
  return result.data;
}

/** A calendar open around the clock, every day, no holidays. */
export function twentyFourSeven(timeZone = 'UTC'): BusinessCalendar {
  const allDay = () => [{ start: '00:00', end: '24:00' }];
  return { timeZone, week: Object.fromEntries(WEEKDAYS.map((d) => [d, allDay()])), holidays: [] };
}
