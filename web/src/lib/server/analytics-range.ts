import { GROUP_BYS, INTERVALS, type GroupBy, type Interval } from '#lib/graphql/analytics.ts';

const DAY = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const asDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The analytics page's state from the URL (a GET form, so it works without JS): `from` and `to`
 * are inclusive UTC days (default: the last 30 days), `groupBy` a dimension, `interval` the
 * trend's bucket (default by the range's length: days up to two months, weeks up to a year, then
 * months; days are never used beyond a year). The API range is [from, to + 1 day).
 */
export function analyticsParams(url: URL, now = new Date()) {
	const p = url.searchParams;
	const today = asDay(now);
	const fromDay = ISO_DAY.test(p.get('from') ?? '') ? p.get('from')! : asDay(new Date(now.getTime() - 29 * DAY));
	const toDay = ISO_DAY.test(p.get('to') ?? '') ? p.get('to')! : today;
	const groupBy: GroupBy = GROUP_BYS.includes(p.get('groupBy') as GroupBy) ? (p.get('groupBy') as GroupBy) : 'QUEUE';
	const from = new Date(`${fromDay}T00:00:00Z`);
	const to = new Date(new Date(`${toDay}T00:00:00Z`).getTime() + DAY);
	const valid = !Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime()) && from < to && to.getTime() - from.getTime() <= 3 * 366 * DAY;
	const span = valid ? (to.getTime() - from.getTime()) / DAY : 0;
	const asked = p.get('interval') as Interval;
	const interval: Interval =
		INTERVALS.includes(asked) && !(asked === 'DAY' && span > 366) ? asked : span <= 62 ? 'DAY' : span <= 366 ? 'WEEK' : 'MONTH';
	return { fromDay, toDay, groupBy, interval, from: valid ? from.toISOString() : '', to: valid ? to.toISOString() : '', valid };
}
