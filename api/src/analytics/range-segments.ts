/**
 * Splits a range of whole UTC days [from, to) into the rollup rows that cover it: whole
 * quarters from the `@Q` rows, whole months from the `@M` rows, edge days from the daily rows.
 * Every figure of the rollup is additive (counts, sums, histogram buckets), so a mostly covered
 * edge month is read as the month row minus the few days outside the range (sign -1): a range
 * starting on the 4th reads 1 month row + 3 day rows per key instead of 28 day rows.
 * Dates are UTC midnights.
 */
export interface Segment { suffix: '' | '@M' | '@Q'; start: Date; end: Date; sign: 1 | -1 }

const DAY = 86_400_000;
const utc = (y: number, m: number) => new Date(Date.UTC(y, m, 1));
const floorMonth = (d: Date) => utc(d.getUTCFullYear(), d.getUTCMonth());
const nextMonth = (d: Date) => utc(d.getUTCFullYear(), d.getUTCMonth() + 1);
const ceilMonth = (d: Date) => (floorMonth(d) < d ? nextMonth(d) : d);
const floorQuarter = (d: Date) => utc(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % 3));
const ceilQuarter = (d: Date) => (floorQuarter(d) < d ? utc(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % 3) + 3) : d);
const days = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / DAY);

/** [a, b) inside one month: its days, or the month minus the days outside when that reads fewer rows. */
function partialMonth(a: Date, b: Date): Segment[] {
  if (!(a < b)) return [];
  const ms = floorMonth(a);
  const me = nextMonth(ms);
  if (a.getTime() === ms.getTime() && b.getTime() === me.getTime()) return [{ suffix: '@M', start: ms, end: me, sign: 1 }];
  if (days(ms, a) + days(b, me) + 1 < days(a, b)) {
    return [
      { suffix: '@M', start: ms, end: me, sign: 1 },
      { suffix: '', start: ms, end: a, sign: -1 },
      { suffix: '', start: b, end: me, sign: -1 },
    ];
  }
  return [{ suffix: '', start: a, end: b, sign: 1 }];
}

function monthSegments(from: Date, to: Date): Segment[] {
  if (!(from < to)) return [];
  const m1 = ceilMonth(from);
  const m2 = floorMonth(to);
  if (m1 > m2) return partialMonth(from, to); // within one month
  const whole: Segment[] = m1 < m2 ? [{ suffix: '@M', start: m1, end: m2, sign: 1 }] : [];
  return [...partialMonth(from, m1), ...whole, ...partialMonth(m2, to)];
}

export function rangeSegments(from: Date, to: Date): Segment[] {
  if (!(from < to)) return [];
  const q1 = ceilQuarter(from);
  const q2 = floorQuarter(to);
  const all = q1 < q2
    ? [...monthSegments(from, q1), { suffix: '@Q' as const, start: q1, end: q2, sign: 1 as const }, ...monthSegments(q2, to)]
    : monthSegments(from, to);
  return all.filter((s) => s.start < s.end);
}
