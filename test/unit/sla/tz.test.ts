import { describe, expect, it } from 'vitest';
import { DAY, zoneMath } from '@parley/api/sla/tz.ts';
import { businessMinutesBetween, twentyFourSeven } from '@parley/api/sla/business-calendar.ts';

/** Local wall clock of an instant as "local ms since epoch", straight from Intl (no luxon). */
function wallOf(timeZone: string, t: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) + (t % 1000);
}

const zones = ['Europe/Berlin', 'America/New_York', 'Europe/Moscow', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Apia'];

describe('zoneMath.resolve (wall clock -> earliest instant showing that time or later)', () => {
  it('round-trips every instant except the second pass through a repeated hour (seeded, 7 zones, 2010-2030)', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      const zone = zones[i % zones.length];
      const t = Date.parse('2010-01-01T00:00:00Z') + Math.floor(rand() * 20 * 365 * DAY / 60_000) * 60_000;
      const wall = wallOf(zone, t);
      const r = zoneMath(zone).resolve(wall);
      if (r !== t) {
        // only allowed in an overlap: the resolved instant is an earlier one with the same wall clock
        expect(r).toBeLessThan(t);
        expect(wallOf(zone, r)).toBe(wall);
      }
    }
  });
  it('maps times in a gap to the transition instant', () => {
    const berlin = zoneMath('Europe/Berlin');
    expect(new Date(berlin.resolve(Date.UTC(2026, 2, 29, 2, 30))).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    const lordHowe = zoneMath('Australia/Lord_Howe'); // 30-minute DST: 02:00 -> 02:30 on 4 Oct 2026
    expect(new Date(lordHowe.resolve(Date.UTC(2026, 9, 4, 2, 15))).toISOString()).toBe('2026-10-03T15:30:00.000Z');
  });
  it('Samoa skipped 30 Dec 2011 entirely: a 24/7 calendar has no business time that day', () => {
    const apia = twentyFourSeven('Pacific/Apia');
    const from = new Date(zoneMath('Pacific/Apia').resolve(Date.UTC(2011, 11, 29, 0, 0)));
    const to = new Date(zoneMath('Pacific/Apia').resolve(Date.UTC(2011, 11, 31, 0, 0)));
    expect(to.getTime() - from.getTime()).toBe(DAY);
    expect(businessMinutesBetween(apia, from, to)).toBe(1440);
  });
});
