// Micro-benchmark: parse + classify a realistic mix of the fixture corpus, sequentially, N times.
// Run from the repo root:  pnpm exec node test/bench/mail-parse.bench.ts [N]
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMail } from '@parley/api/mail/parse-mail.ts';
import { classifyMail } from '@parley/api/mail/classify-mail.ts';
import { extractTicketNumbers, referencedMessageIds } from '@parley/api/mail/thread-hints.ts';

const dir = fileURLToPath(new URL('../fixtures/mail/', import.meta.url));
const n = Number(process.argv[2] ?? 5000);

// A help desk inbox is mostly customers writing and replying; the rest is machines.
const weights: Record<string, number> = {
  '01-plain-ascii.eml': 6,
  '02-utf8-emoji.eml': 3,
  '03-latin1-german.eml': 3,
  '09-nested-related-cid.eml': 4,
  '19-reply-in-reply-to.eml': 6,
  '20-reply-ticket-number.eml': 4,
  '21-forward-rfc822.eml': 2,
  '22-html-injection.eml': 2,
};
const mix: Buffer[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()) {
  const raw = readFileSync(dir + file);
  for (let i = 0; i < (weights[file] ?? 1); i++) mix.push(raw);
}
const avgBytes = mix.reduce((s, b) => s + b.length, 0) / mix.length;

async function run(count: number): Promise<number> {
  let kinds = 0;
  for (let i = 0; i < count; i++) {
    const parsed = await parseMail(mix[i % mix.length]);
    const c = classifyMail(parsed);
    extractTicketNumbers(parsed.subject, 'Ticket#');
    referencedMessageIds(parsed);
    if (c.kind !== 'normal') kinds++;
  }
  return kinds;
}

await run(Math.min(500, n)); // warm-up
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const nonNormal = await run(n);
const seconds = (performance.now() - started) / 1000;
const mem = process.memoryUsage();

const mb = (v: number) => (v / 1024 / 1024).toFixed(1);
console.log(`node ${process.versions.node}, ${mix.length} mails in the mix (${readdirSync(dir).filter((f) => f.endsWith('.eml')).length} distinct), avg ${Math.round(avgBytes)} bytes`);
console.log(`parsed+classified ${n} mails in ${seconds.toFixed(2)} s: ${Math.round(n / seconds)} mails/s, ${((n * avgBytes) / seconds / 1024 / 1024).toFixed(2)} MiB/s (${nonNormal} non-normal)`);
console.log(`RSS ${mb(mem.rss)} MiB (before timed run ${mb(rssBefore)} MiB), heap used ${mb(mem.heapUsed)} MiB`);
