import { Prisma } from '@parley/db';

/**
 * Duration histograms of the daily rollup. Bucket i (0-based) holds minutes in
 * [BOUNDS[i-1], BOUNDS[i]) (bucket 0: below 1 minute, the last: from BOUNDS[last] on), i.e.
 * PostgreSQL's width_bucket(minutes, BOUNDS). Percentiles read from them are interpolated inside
 * one bucket, so they are approximate to within that bucket's width (1 min up to 5 min, 5 min up
 * to an hour, then coarser).
 */
export const BOUNDS = [
  1, 2, 3, 4, 5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180, 240, 300, 360, 480, 600, 720, 960, 1200,
  1440, 2160, 2880, 4320, 5760, 7200, 10080, 14400, 20160, 30240, 43200,
];
export const BUCKETS = BOUNDS.length + 1;

const boundsSql = Prisma.raw(`ARRAY[${BOUNDS.join(',')}]::int[]`);

/** SQL: the bucket of a minutes expression (NULL stays NULL). */
export const bucketOf = (minutes: Prisma.Sql) => Prisma.sql`width_bucket(${minutes}, ${boundsSql})`;

/** SQL: an int[] histogram of the rows matching `where`, bucket column `b`. */
export function histogramAggregate(where: Prisma.Sql, b: Prisma.Sql) {
  const parts = Array.from({ length: BUCKETS }, (_, i) => Prisma.sql`(COUNT(*) FILTER (WHERE ${where} AND ${b} = ${Prisma.raw(String(i))}))::int`);
  return Prisma.sql`ARRAY[${Prisma.join(parts)}]::int[]`;
}

/** SQL: the element-wise sum of an int[] histogram column over a group (each row times `sign`, default 1), as int[]. */
export function histogramSum(column: Prisma.Sql, sign?: Prisma.Sql) {
  const parts = Array.from({ length: BUCKETS }, (_, i) => sign
    ? Prisma.sql`COALESCE(SUM(${sign} * ${column}[${Prisma.raw(String(i + 1))}]), 0)::int`
    : Prisma.sql`COALESCE(SUM(${column}[${Prisma.raw(String(i + 1))}]), 0)::int`);
  return Prisma.sql`ARRAY[${Prisma.join(parts)}]::int[]`;
}

/** The p-quantile (0..1) of a histogram, interpolated linearly inside its bucket (to 0.1 min); null when empty. */
export function quantile(hist: number[], p: number): number | null {
  const n = hist.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.max(p * n, Number.MIN_VALUE);
  let before = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i];
    if (c > 0 && before + c >= rank) {
      const lower = i === 0 ? 0 : BOUNDS[i - 1];
      const upper = i < BOUNDS.length ? BOUNDS[i] : BOUNDS[BOUNDS.length - 1] * 1.5;
      return Math.round((lower + (upper - lower) * ((rank - before) / c)) * 10) / 10;
    }
    before += c;
  }
  return BOUNDS[BOUNDS.length - 1];
}
