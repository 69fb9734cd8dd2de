import { IANAZone } from 'luxon';

/*
 * Wall-clock <-> instant conversion for one IANA zone. The offsets come from tzdb through luxon's
 * IANAZone (Intl, i.e. the ICU data shipped with Node). Only the rule for times that do not
 * exist or exist twice is ours:
 *
 *   a wall-clock time maps to the EARLIEST instant at which the local clock reads that time or later.
 *
 * - Spring-forward gap (Berlin 02:00 -> 03:00): 02:30 maps to the transition instant (the clock
 *   reads 03:00). luxon/Temporal "compatible" would give 03:30 instead, losing half an hour.
 * - Fall-back overlap (Berlin 03:00 -> 02:00): 02:30 maps to its first occurrence (CEST).
 * The mapping is monotone, so business windows built from it never overlap and elapsed business
 * time is always real elapsed time (a 00:00-06:00 shift lasts 5 h in spring and 7 h in autumn).
 */

export const MINUTE = 60_000;
export const DAY = 86_400_000;

export type ZoneMath = {
  readonly name: string;
  /** Offset from UTC in ms at an instant. */
  offsetMs(instant: number): number;
  /** Local epoch day (days since 1970-01-01 in local wall-clock terms) of an instant. */
  localDay(instant: number): number;
  /** Instant for a wall-clock time given as "local ms since 1970-01-01 00:00" (see rule above). */
  resolve(wallMs: number): number;
};

const zones = new Map<string, ZoneMath>();
const OFFSET_CACHE_LIMIT = 50_000;

export function zoneMath(name: string): ZoneMath {
  const known = zones.get(name);
  if (known) return known;
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new RangeError(`unknown time zone "${name}"`);
  const rawOffsetMs = (t: number) => zone.offset(t) * MINUTE;
  // Intl lookups cost microseconds; cache the offset per UTC day when it is the same at both ends
  // of that day (NaN marks a day with a transition, looked up exactly). Assumes no zone changes
  // its offset and back within 24 hours, which tzdb has never recorded.
  const byUtcDay = new Map<number, number>();
  const offsetMs = (t: number): number => {
    const day = Math.floor(t / DAY);
    let o = byUtcDay.get(day);
    if (o === undefined) {
      const a = rawOffsetMs(day * DAY);
      o = a === rawOffsetMs((day + 1) * DAY) ? a : NaN;
      if (byUtcDay.size >= OFFSET_CACHE_LIMIT) byUtcDay.clear();
      byUtcDay.set(day, o);
    }
    return Number.isNaN(o) ? rawOffsetMs(t) : o;
  };

  function resolve(wall: number): number {
    // Assumes at most one offset change within a day either side, true for every real zone.
    const before = offsetMs(wall - DAY);
    const after = offsetMs(wall + DAY);
    const tBefore = wall - before;
    if (before === after) return tBefore;
    const tAfter = wall - after;
    const okBefore = offsetMs(tBefore) === before;
    const okAfter = offsetMs(tAfter) === after;
    if (okBefore && okAfter) return Math.min(tBefore, tAfter); // overlap: first occurrence
    if (okBefore) return tBefore;
    if (okAfter) return tAfter;
    // Gap: find the transition instant between the two candidates (offset changes at whole seconds).
    let lo = Math.min(tBefore, tAfter);
    let hi = Math.max(tBefore, tAfter);
    const loOffset = offsetMs(lo);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMs(mid) === loOffset) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  const math: ZoneMath = {
    name,
    offsetMs,
    localDay: (t) => Math.floor((t + offsetMs(t)) / DAY),
    resolve,
  };
  zones.set(name, math);
  return math;
}
