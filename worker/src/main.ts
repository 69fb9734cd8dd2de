// The worker process: runs every job queue on Redis. Scale out by starting more of these;
// BullMQ hands each job to exactly one of them. Graceful shutdown on SIGTERM/SIGINT lets the
// running jobs finish.
import { loadConfigOrExit } from '@parley/api/config.ts';
import { createServices } from '@parley/api/services.ts';
import { onShutdown } from '@parley/api/shutdown.ts';
import { jobs } from './jobs/index.ts';
import { runWorkers } from './run-workers.ts';
import { closeQueues } from './queues.ts';

const config = loadConfigOrExit();
const services = createServices(config, 'worker');
const running = await runWorkers(services, jobs, { concurrency: Number(process.env.WORKER_CONCURRENCY ?? 10) });
services.log.info({ queues: running.workers.map((w) => w.name), jobs: jobs.map((j) => j.name) }, 'Parley worker running');

onShutdown(services.log, async () => {
  await running.close();
  await closeQueues();
  await services.close();
});
