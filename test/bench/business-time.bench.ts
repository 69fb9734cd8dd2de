// Business-time and SLA-clock throughput. Run: cd test && pnpm run bench:sla
import { addBusinessMinutes, type BusinessCalendar, twentyFourSeven } from '@parley/api/sla/business-calendar.ts';
import { computeSlaClock, type SlaEvent } from '@parley/api/sla/sla-clock.ts';

const office = (): BusinessCalendar => ({
  timeZone: 'Europe/Berlin',
  week: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]]),
  ),
  holidays: [{ month: 1, day: 1 }, { month: 5, day: 1 }, { month: 10, day: 3 }, { month: 12, day: 25 }, { month: 12, day: 26 }, { date: '2026-04-03' }, { date: '2026-04-06' }],
});

// Deterministic start instants spread over two years (so the per-day window cache must fill).
let seed = 7;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const starts = Array.from({ length: 4096 }, () => new Date(Date.parse('2026-01-01T00:00:00Z') + Math.floor(rand() * 730 * 86_400_000)));

function bench(label: string, fn: (i: number) => unknown, ms = 1000): number {
  for (let i = 0; i < 200; i++) fn(i); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let k = 0; k < 100; k++) fn(n++);
    t = performance.now();
  }
  const opsPerSec = (n / (t - t0)) * 1000;
  console.log(`${label.padEnd(62)} ${Math.round(opsPerSec).toLocaleString('en-US').padStart(10)} ops/s`);
  return opsPerSec;
}

console.log(`Node ${process.version}, ${new Date().toISOString()}`);
console.log('\naddBusinessMinutes, Berlin office calendar (7 h/day, lunch break, holidays), shared calendar object');
const cal = office();
for (const [label, minutes] of [
  ['1 h (60 min)', 60],
  ['1 day (1,440 min = ~3.4 office days)', 1440],
  ['10,000 min (~24 office days)', 10_000],
  ['2 weeks (20,160 min = ~48 office days)', 20_160],
] as const) {
  bench(`  ${label}`, (i) => addBusinessMinutes(cal, starts[i & 4095], minutes));
}
bench('  1 h, new object with known content (JSON-keyed compile cache)', (i) => addBusinessMinutes(office(), starts[i & 4095], 60), 500);
bench('  1 h, never-seen calendar each call (validate + compile + cold days)', (i) => {
  const c = office();
  c.holidays.push({ date: `2030-01-${String(1 + (i % 28)).padStart(2, '0')}`, name: `bench ${i}` });
  return addBusinessMinutes(c, starts[i & 4095], 60);
}, 500);
const utc = twentyFourSeven('Europe/Berlin');
bench('  2 weeks on a 24/7 calendar (14 days walked)', (i) => addBusinessMinutes(utc, starts[i & 4095], 20_160));

console.log('\ncomputeSlaClock (first response 60, update 240, solution 2,880 min, warn 80 %)');
const sla = { firstResponseMinutes: 60, updateMinutes: 240, solutionMinutes: 2880, warnPercent: 80 };
const H = 3_600_000;
function timeline(created: Date): SlaEvent[] {
  const c = created.getTime();
  return [
    { type: 'agentReply', at: new Date(c + 0.5 * H) },
    { type: 'status', at: new Date(c + 0.6 * H), status: 'pending' },
    { type: 'customerMessage', at: new Date(c + 30 * H) },
    { type: 'status', at: new Date(c + 30 * H), status: 'open' },
    { type: 'agentReply', at: new Date(c + 32 * H) },
    { type: 'customerMessage', at: new Date(c + 50 * H) },
  ];
}
const tickets = starts.map((createdAt) => ({ createdAt, events: timeline(createdAt), now: new Date(createdAt.getTime() + 52 * H) }));
const fresh = starts.map((createdAt) => ({ createdAt, events: [] as SlaEvent[], now: createdAt }));
const opsBusy = bench('  ticket with 6 events (reply, pending, reopen, ...)', (i) => computeSlaClock({ sla, calendar: cal, ...tickets[i & 4095] }));
const opsNew = bench('  new ticket, no events', (i) => computeSlaClock({ sla, calendar: cal, ...fresh[i & 4095] }));
console.log(`\nescalation worker recomputing 100,000 tickets on one core: ${(100_000 / opsBusy).toFixed(2)} s (6-event tickets), ${(100_000 / opsNew).toFixed(2)} s (new tickets)`);
