import { type BusinessCalendar, minutesOfDay, validateCalendar, WEEKDAYS } from './calendar-schema.ts';
import { SlaError } from './errors.ts';
import { DAY, MINUTE, type ZoneMath, zoneMath } from './tz.ts';

export type { BusinessCalendar, BusinessInterval, Holiday, Weekday } from './calendar-schema.ts';
export { calendarSchema, twentyFourSeven, validateCalendar, WEEKDAYS } from './calendar-schema.ts';

/*
 * Business-time arithmetic. Every function walks the calendar day by day (never minute by
 * minute): a local day's opening hours become a list of real-time windows [open, close) through
 * tz.ts, holidays close the whole local day. Business time is real elapsed time inside windows,
 * in ms internally; the public functions speak Date and (possibly fractional) minutes.
 *
 * Calendars are validated and compiled once per object (WeakMap) and once per distinct content
 * (bounded map keyed by JSON): treat calendar objects as immutable once used.
 */

type Compiled = {
  zone: ZoneMath;
  /** Index 0 = Sunday (Date#getUTCDay order); flattened [startMin, endMin, ...], sorted, merged. */
  week: number[][];
  dates: Set<number>; // epoch days of one-off holidays
  yearly: Set<number>; // month * 100 + day
  windows: Map<number, number[]>; // cache: epoch day -> flattened [open, close, ...] instants
};

const WINDOW_CACHE_LIMIT = 20_000;
/** Consecutive days without any business time after which we give up. */
const MAX_EMPTY_DAYS = 3 * 366;
const compiled = new WeakMap<BusinessCalendar, Compiled>();
const CONTENT_CACHE_LIMIT = 1_000;
const byContent = new Map<string, Compiled>();

function compile(calendar: BusinessCalendar): Compiled {
  let c = compiled.get(calendar);
  if (c) return c;
  // Same content, new object (e.g. re-read from the database): reuse the compiled form and its cache.
  const key = JSON.stringify(calendar);
  c = byContent.get(key);
  if (c) {
    compiled.set(calendar, c);
    return c;
  }
  const valid = validateCalendar(calendar);
  const week: number[][] = [];
  WEEKDAYS.forEach((key, i) => {
    const mins = (valid.week[key] ?? [])
      .map((iv) => [minutesOfDay(iv.start), minutesOfDay(iv.end)])
      .sort((a, b) => a[0] - b[0]);
    const flat: number[] = [];
    for (const [s, e] of mins) {
      if (flat.length > 0 && flat[flat.length - 1] === s) flat[flat.length - 1] = e; // touching: merge
      else flat.push(s, e);
    }
    week[(i + 1) % 7] = flat; // mon (i=0) -> 1 ... sun (i=6) -> 0
  });
  const dates = new Set<number>();
  const yearly = new Set<number>();
  for (const h of valid.holidays) {
    if ('date' in h) dates.add(Date.parse(`${h.date}T00:00:00Z`) / DAY);
    else yearly.add(h.month * 100 + h.day);
  }
  c = { zone: zoneMath(valid.timeZone), week, dates, yearly, windows: new Map() };
  compiled.set(calendar, c);
  if (byContent.size >= CONTENT_CACHE_LIMIT) byContent.clear();
  byContent.set(key, c);
  return c;
}

function windowsOf(c: Compiled, day: number): number[] {
  const cached = c.windows.get(day);
  if (cached) return cached;
  const date = new Date(day * DAY);
  const mins = c.week[date.getUTCDay()];
  const out: number[] = [];
  if (mins.length > 0 && !c.dates.has(day) && !c.yearly.has((date.getUTCMonth() + 1) * 100 + date.getUTCDate())) {
    const base = day * DAY;
    for (let k = 0; k < mins.length; k += 2) {
      const open = c.zone.resolve(base + mins[k] * MINUTE);
      const close = c.zone.resolve(base + mins[k + 1] * MINUTE);
      if (close <= open) continue; // swallowed by a DST gap
      if (out.length > 0 && out[out.length - 1] >= open) out[out.length - 1] = close;
      else out.push(open, close);
    }
  }
  if (c.windows.size >= WINDOW_CACHE_LIMIT) c.windows.clear();
  c.windows.set(day, out);
  return out;
}

function noBusinessTime(): never {
  throw new SlaError('NO_BUSINESS_TIME', `calendar has no business time for ${MAX_EMPTY_DAYS} consecutive days`);
}

function checkInstant(label: string, d: Date): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new SlaError('INVALID_INPUT', `${label} is not a valid Date`);
  return t;
}

/** Instant at which `ms` of business time after `from` have elapsed (`from` itself when ms = 0). */
export function addBusinessMs(calendar: BusinessCalendar, from: number, ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new SlaError('INVALID_INPUT', `cannot add ${ms} ms of business time`);
  if (ms === 0) return from;
  const c = compile(calendar);
  let remaining = ms;
  let empty = 0;
  for (let day = c.zone.localDay(from); ; day++) {
    const w = windowsOf(c, day);
    let any = false;
    for (let k = 0; k < w.length; k += 2) {
      const close = w[k + 1];
      if (close <= from) continue;
      any = true;
      const start = w[k] > from ? w[k] : from;
      const available = close - start;
      if (remaining <= available) return start + remaining;
      remaining -= available;
    }
    empty = any ? 0 : empty + 1;
    if (empty > MAX_EMPTY_DAYS) noBusinessTime();
  }
}

/** Business time in ms between two instants; negative when `to` is before `from`. */
export function businessMsBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (to < from) return -businessMsBetween(calendar, to, from);
  if (to === from) return 0;
  const c = compile(calendar);
  let total = 0;
  const lastDay = c.zone.localDay(to) + 1;
  for (let day = c.zone.localDay(from); day <= lastDay; day++) {
    const w = windowsOf(c, day);
    for (let k = 0; k < w.length; k += 2) {
      const start = w[k] > from ? w[k] : from;
      const end = w[k + 1] < to ? w[k + 1] : to;
      if (end > start) total += end - start;
    }
  }
  return total;
}

/** Earliest business instant at or after `at` (`at` itself when it is business time). */
export function nextBusinessStartMs(calendar: BusinessCalendar, at: number): number {
  const c = compile(calendar);
  for (let day = c.zone.localDay(at), empty = 0; ; day++) {
    const w = windowsOf(c, day);
    for (let k = 0; k < w.length; k += 2) {
      if (w[k + 1] > at) return w[k] > at ? w[k] : at;
    }
    if (++empty > MAX_EMPTY_DAYS) noBusinessTime();
  }
}

export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  return new Date(addBusinessMs(calendar, checkInstant('from', from), Math.round(minutes * MINUTE)));
}

/** Business minutes (fractional, ms precision) between `from` and `to`; negative if `to` < `from`. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  return businessMsBetween(calendar, checkInstant('from', from), checkInstant('to', to)) / MINUTE;
}

/** Windows are [open, close): the opening instant is business time, the closing one is not. */
export function isBusinessTime(calendar: BusinessCalendar, at: Date): boolean {
  const t = checkInstant('at', at);
  return nextBusinessStartMs(calendar, t) === t;
}

export function nextBusinessStart(calendar: BusinessCalendar, at: Date): Date {
  return new Date(nextBusinessStartMs(calendar, checkInstant('at', at)));
}
