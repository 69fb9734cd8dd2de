// The rollup rows a range reads cover every day of the range exactly once (signed: month rows
// minus the days outside), and no day outside it.
import { describe, expect, it } from 'vitest';
import { rangeSegments, type Segment } from '@parley/api/analytics/range-segments.ts';

const DAY = 86_400_000;
const d = (s: string) => new Date(`${s}T00:00:00Z`);

/** How often each day is counted by the segments (a month/quarter row counts each of its days). */
function coverage(segments: Segment[], from: Date, to: Date) {
  const counts = new Map<number, number>();
  for (let t = from.getTime() - 120 * DAY; t < to.getTime() + 120 * DAY; t += DAY) counts.set(t, 0);
  for (const s of segments) for (let t = s.start.getTime(); t < s.end.getTime(); t += DAY) counts.set(t, (counts.get(t) ?? 0) + s.sign);
  return counts;
}

describe('rangeSegments', () => {
  it('covers random ranges exactly once', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 400; i++) {
      const from = new Date(d('2024-01-01').getTime() + Math.floor(rnd() * 900) * DAY);
      const to = new Date(from.getTime() + (1 + Math.floor(rnd() * 500)) * DAY);
      for (const [t, n] of coverage(rangeSegments(from, to), from, to)) {
        expect(n, `${new Date(t).toISOString()} in [${from.toISOString()}, ${to.toISOString()})`).toBe(t >= from.getTime() && t < to.getTime() ? 1 : 0);
      }
    }
  });

  it('reads a one-year range from quarters, months and a few days', () => {
    const segs = rangeSegments(d('2025-12-04'), d('2026-12-05'));
    expect(segs.map((s) => `${s.sign > 0 ? '+' : '-'}${s.suffix || 'D'} ${s.start.toISOString().slice(0, 10)}..${s.end.toISOString().slice(0, 10)}`)).toEqual([
      '+@M 2025-12-01..2026-01-01', '-D 2025-12-01..2025-12-04',
      '+@Q 2026-01-01..2026-10-01', '+@M 2026-10-01..2026-12-01', '+D 2026-12-01..2026-12-05',
    ]);
  });
});
