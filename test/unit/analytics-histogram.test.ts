import { describe, expect, it } from 'vitest';
import { BOUNDS, BUCKETS, quantile } from '@parley/api/analytics/histogram.ts';

const histOf = (values: number[]) => {
  const h = new Array(BUCKETS).fill(0);
  for (const v of values) h[BOUNDS.filter((b) => b <= v).length]++; // width_bucket
  return h;
};

describe('duration histograms', () => {
  it('is empty-safe and stays inside the bucket of the exact quantile', () => {
    expect(quantile(new Array(BUCKETS).fill(0), 0.5)).toBeNull();
    const values = Array.from({ length: 1000 }, (_, i) => (i * 37) % 3000);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0.1, 0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(p * sorted.length) - 1];
      const approx = quantile(histOf(values), p)!;
      const i = BOUNDS.filter((b) => b <= exact).length;
      const lower = i === 0 ? 0 : BOUNDS[i - 1];
      const upper = BOUNDS[i] ?? Infinity;
      expect(approx, `p${p * 100}`).toBeGreaterThanOrEqual(lower);
      expect(approx, `p${p * 100}`).toBeLessThanOrEqual(upper);
    }
  });

  it('is exact to the minute below five minutes', () => {
    expect(quantile(histOf([0, 1, 2, 3, 4]), 0.5)).toBeCloseTo(2.5, 5);
    expect(quantile(histOf([2, 2, 2]), 0.9)).toBeGreaterThanOrEqual(2);
    expect(quantile(histOf([2, 2, 2]), 0.9)).toBeLessThanOrEqual(3);
  });
});
