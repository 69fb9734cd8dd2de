// Benchmark of the mail channel in ONE worker process (this one): inbound throughput on a
// realistic mix (receive = raw store + enqueue; then parse, classify, route, thread, file the
// article with attachments, auto-response queued in the outbox) and the outbound send rate of
// those auto-responses to a local SMTP sink. Target: inbound >= 200 mails/s.
//
//   cd test && PARLEY_TEST_ADMIN_URL=postgres://postgres@127.0.0.1:55432/parley_bench REDIS_URL=redis://127.0.0.1:63799 \
//     pnpm run bench:mail [N=2000] [CONCURRENCY=20]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { withTenant } from '@parley/db';
import { migrate } from '@parley/db/migrate.ts';
import { loadConfig } from '@parley/api/config.ts';
import { TEST_SECRETS_KEY } from '../support/secrets-key.ts';
import { createServices } from '@parley/api/services.ts';
import { onboardTenant } from '@parley/api/tenants/onboard-tenant.ts';
import { setAutoResponse } from '@parley/api/mail/mail-admin.ts';
import { storeRawMail } from '@parley/api/mail/inbound/store-raw-mail.ts';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { closeTransports } from '@parley/api/mail/outbound/send-outgoing-mail.ts';
import { runWorkers } from '@parley/worker/run-workers.ts';
import { mailInProcessJob } from '@parley/worker/jobs/mail-in-process/definition.ts';
import { mailOutSendJob } from '@parley/worker/jobs/mail-out-send/definition.ts';
import { startSmtpSink } from '../support/mail.ts';

const N = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 20);
const adminUrl = process.env.PARLEY_TEST_ADMIN_URL;
if (!adminUrl || !process.env.REDIS_URL) throw new Error('set PARLEY_TEST_ADMIN_URL and REDIS_URL');
const { appUrl, systemUrl } = await migrate(adminUrl);
const sink = await startSmtpSink();
const prefix = `bench${randomBytes(3).toString('hex')}`;
const blobDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const services = createServices(loadConfig({
  SECRETS_KEY: TEST_SECRETS_KEY,
  DATABASE_APP_URL: appUrl, DATABASE_SYSTEM_URL: systemUrl, REDIS_URL: process.env.REDIS_URL, LOG_LEVEL: 'error', QUEUE_PREFIX: prefix,
  ATTACHMENT_DIR: blobDir, MAIL_RELAY_URL: sink.url, DB_POOL_SIZE: String(Math.max(10, CONCURRENCY + 5)),
}), 'bench');

const slug = `bench${randomBytes(4).toString('hex')}`;
const { tenant, queues } = await onboardTenant(services.db, { slug, name: 'Bench Inc', adminEmail: `admin@${slug}.test`, adminPassword: 'bench-password-1' });
const raw = queues.find((q) => q.name === 'Raw')!;
await withTenant(services.db, tenant.id, (tx) => tx.mailSettings.create({ data: { tenantId: tenant.id, notifyAgents: false } }));
await setAutoResponse(services.db, tenant.id, { queueId: raw.id, kind: 'NEW_TICKET', subject: 'We received: {{ticket.title}}', body: 'Your ticket {{ticket.number}} is open.' });
await setAutoResponse(services.db, tenant.id, { queueId: raw.id, kind: 'FOLLOW_UP', subject: 'Update received', body: 'Added to {{ticket.number}}.' });

const fixtures = join(import.meta.dirname, '../fixtures/mail');
const rich = readFileSync(join(fixtures, '09-nested-related-cid.eml'), 'latin1');
const german = readFileSync(join(fixtures, '03-latin1-german.eml'), 'latin1');
const to = `support@${slug}.localhost`;
const plain = (i: number, extra: string[] = [], subject = `Problem number ${i}`) => Buffer.from([
  `From: Customer ${i} <c${i}@customer${i % 97}.example>`, `To: ${to}`, `Subject: ${subject}`, `Date: ${new Date().toUTCString()}`,
  `Message-ID: <bench.${i}.${randomBytes(4).toString('hex')}@customer.example>`, ...extra, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
  `Hello,\r\n\r\nsomething is broken (${i}). Steps to reproduce: open the app, click save, see error 0x${i.toString(16)}.\r\n\r\nThanks`, ''].join('\r\n'));
const withId = (src: string, i: number) => Buffer.from(src.replace(/^Message-ID:.*$/im, `Message-ID: <bench.fx.${i}.${randomBytes(4).toString('hex')}@customer.example>`).replace(/^From:.*$/im, `From: fx${i}@customer.example`), 'latin1');

// Warm-up tickets that follow-ups refer to (not timed).
const parents: string[] = [];
for (let i = 0; i < 100; i++) {
  const m = plain(1_000_000 + i);
  parents.push(/Message-ID: (<[^>]+>)/.exec(m.toString())![1]);
  await storeRawMail(services, { tenantId: tenant.id, source: 'SMTP', raw: m, recipients: [to] });
}
const inWorkers = await runWorkers(services, [mailInProcessJob], { prefix, concurrency: CONCURRENCY });
const settle = async (status: 'RECEIVED') => { while (await withTenant(services.db, tenant.id, (tx) => tx.inboundMail.count({ where: { status } }))) await new Promise((r) => setTimeout(r, 50)); };
await settle('RECEIVED');
await inWorkers.close();

// The mix: 55% new plain mails, 10% HTML with inline image + remote image, 5% ISO-8859-1,
// 20% follow-ups (In-Reply-To), 10% out-of-office replies (no auto-response).
const mails: Buffer[] = [];
for (let i = 0; i < N; i++) {
  const r = i % 20;
  if (r < 11) mails.push(plain(i));
  else if (r < 13) mails.push(withId(rich, i));
  else if (r < 14) mails.push(withId(german, i));
  else if (r < 18) mails.push(plain(i, [`In-Reply-To: ${parents[i % parents.length]}`], `Re: Problem number ${i % parents.length}`));
  else mails.push(plain(i, ['Auto-Submitted: auto-replied'], `Out of office: Problem ${i}`));
}
const avgKb = mails.reduce((s, m) => s + m.length, 0) / mails.length / 1024;

let t0 = performance.now();
for (let i = 0; i < mails.length; i += 50) {
  await Promise.all(mails.slice(i, i + 50).map((m) => storeRawMail(services, { tenantId: tenant.id, source: 'SMTP', raw: m, recipients: [to] })));
}
const receiveS = (performance.now() - t0) / 1000;

t0 = performance.now();
const workers = await runWorkers(services, [mailInProcessJob], { prefix, concurrency: CONCURRENCY });
await settle('RECEIVED');
const inboundS = (performance.now() - t0) / 1000;
await workers.close();

const pending = await withTenant(services.db, tenant.id, (tx) => tx.outgoingMail.count({ where: { status: 'PENDING' } }));
const failed = await withTenant(services.db, tenant.id, (tx) => tx.inboundMail.count({ where: { status: 'FAILED' } }));
t0 = performance.now();
const out = await runWorkers(services, [mailOutSendJob], { prefix, concurrency: CONCURRENCY });
while (await withTenant(services.db, tenant.id, (tx) => tx.outgoingMail.count({ where: { status: { in: ['PENDING', 'SENDING'] } } }))) await new Promise((r) => setTimeout(r, 50));
const outboundS = (performance.now() - t0) / 1000;
await out.close();

console.log(`mail pipeline bench: ${N} mails (avg ${avgKb.toFixed(1)} KiB; 55% new, 10% HTML+cid, 5% latin-1, 20% follow-ups, 10% auto-replies), concurrency ${CONCURRENCY}, one process`);
console.log(`  receive (raw store + enqueue):          ${(N / receiveS).toFixed(0)} mails/s`);
console.log(`  inbound (parse, thread, file, auto-resp): ${(N / inboundS).toFixed(0)} mails/s  (target >= 200; ${failed} failed)`);
console.log(`  outbound to local SMTP sink:            ${(pending / outboundS).toFixed(0)} mails/s  (${pending} auto-responses, ${sink.mails.length} received by the sink)`);

await closeQueues();
closeTransports();
await sink.close();
await services.close();
rmSync(blobDir, { recursive: true, force: true });
process.exit(0);
