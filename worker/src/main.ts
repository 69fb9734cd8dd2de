// The worker process: runs every job queue on Redis. Scale out by starting more of these;
// BullMQ hands each job to exactly one of them. Graceful shutdown on SIGTERM/SIGINT lets the
// running jobs finish.
import { loadConfigOrExit } from '@parley/api/config.ts';
import { createServices } from '@parley/api/services.ts';
import { onShutdown } from '@parley/api/shutdown.ts';
import { jobs } from './jobs/index.ts';
import { runWorkers } from './run-workers.ts';
import { closeQueues, enqueue } from './queues.ts';
import { secretsResealJob } from './jobs/secrets-reseal/definition.ts';
import { startSmtpReceiver } from '@parley/api/mail/smtp-receiver.ts';
import { closeTransports } from '@parley/api/mail/outbound/send-outgoing-mail.ts';

const config = loadConfigOrExit();
const services = createServices(config, 'worker');
const running = await runWorkers(services, jobs, { concurrency: Number(process.env.WORKER_CONCURRENCY ?? 10) });
// Tenant secrets still in plaintext or sealed with SECRETS_KEY_PREVIOUS are re-encrypted at once
// (workers starting in the same minute share one run), not only at the hourly schedule.
await enqueue(config.REDIS_URL, secretsResealJob, {}, { jobId: `secrets-reseal-start-${Math.floor(Date.now() / 60_000)}`, prefix: config.QUEUE_PREFIX });
// The built-in SMTP receiver runs in the worker process (MAIL_SMTP_PORT, default 2525; 0 = off).
const smtp = config.MAIL_SMTP_PORT > 0 ? await startSmtpReceiver(services) : null;
services.log.info({ queues: running.workers.map((w) => w.name), jobs: jobs.map((j) => j.name), smtpPort: smtp?.port ?? null }, 'Parley worker running');

onShutdown(services.log, async () => {
  await smtp?.close();
  await running.close();
  closeTransports();
  await closeQueues();
  await services.close();
});
