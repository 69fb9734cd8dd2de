import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Services } from '@parley/api/services.ts';
import { QUEUES, type JobDefinition } from './jobs/define-job.ts';
import { queueFor, workerConnection } from './queues.ts';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * One BullMQ worker per queue, dispatching by job name to its definition. A payload that fails
 * validation will never succeed, so it fails without retries (UnrecoverableError).
 */
export async function runWorkers(services: Services, jobs: JobDefinition<any>[], opts: { prefix?: string; concurrency?: number; queues?: readonly string[] } = {}): Promise<RunningWorkers> {
  const prefix = opts.prefix ?? services.config.QUEUE_PREFIX;
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const wanted = (opts.queues ?? QUEUES).filter((q) => jobs.some((j) => j.queue === q));
  const workers = wanted.map((queue) => {
    const worker = new Worker(queue, async (job: Job) => {
      const def = byName.get(job.name);
      if (!def) throw new UnrecoverableError(`unknown job ${job.name}`);
      const parsed = def.payload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.message}`);
      return def.handle(services, parsed.data, { attemptsMade: job.attemptsMade, jobId: job.id });
    }, { connection: workerConnection(services.config.REDIS_URL), prefix, concurrency: opts.concurrency ?? 10 });
    worker.on('failed', (job, err) => services.log.warn({ job: job?.name, id: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'));
    worker.on('error', (err) => services.log.error({ queue, err: err.message }, 'worker error'));
    return worker;
  });
  for (const def of jobs) {
    if (def.schedule) {
      await queueFor(services.config.REDIS_URL, def.queue, prefix).upsertJobScheduler(def.name, def.schedule, { name: def.name, data: {} });
    }
  }
  return {
    workers,
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
    },
  };
}
