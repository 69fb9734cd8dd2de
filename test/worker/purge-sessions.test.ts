import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { enqueue, closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { purgeSessionsJob } from '@parley/worker/jobs/purge-sessions/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture } from '../support/factories.ts';

let api: TestApi;
let running: RunningWorkers;
const prefix = `t${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  api = await startTestApi();
  running = await runWorkers(api.services, [purgeSessionsJob], { prefix });
});
afterAll(async () => {
  await running.close();
  await closeQueues();
  await api.close();
});

it('purges expired sessions through a real BullMQ job, and only those', async () => {
  const f = await createTenantFixture(api);
  await withTenant(api.services.db, f.tenant.id, (tx) => tx.session.updateMany({ where: { userId: f.agent.id }, data: { expiresAt: new Date(Date.now() - 1000) } }));
  const events = new QueueEvents('maintenance', { connection: new Redis(api.services.config.REDIS_URL, { maxRetriesPerRequest: null }) as never, prefix });
  await events.waitUntilReady();
  const job = await enqueue(api.services.config.REDIS_URL, purgeSessionsJob, {}, { prefix, jobId: `purge-${prefix}` });
  const result = await job.waitUntilFinished(events, 30_000);
  expect(result.purged).toBeGreaterThanOrEqual(1);
  expect((await api.gql('{ me { id } }', {}, f.agent.token)).status).toBe(401);
  expect((await api.gql('{ me { name } }', {}, f.agent2.token)).data.me.name).toBe('Bob Agent');
  await events.close();
});
