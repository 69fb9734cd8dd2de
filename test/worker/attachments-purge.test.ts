import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { enqueue, closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { attachmentsPurgeJob } from '@parley/worker/jobs/attachments-purge/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket } from '../support/factories.ts';
import { download, uploadOne } from '../support/attachments.ts';

let api: TestApi;
let running: RunningWorkers;
const prefix = `att${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  api = await startTestApi({ ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'parley-purge-')), ATTACHMENT_UPLOAD_TTL_HOURS: '1' });
  running = await runWorkers(api.services, [attachmentsPurgeJob], { prefix });
});
afterAll(async () => {
  await running.close();
  await closeQueues();
  await api.close();
});

it('purges uploads never attached within the TTL (row and bytes), keeps attached files, and is idempotent', async () => {
  const f = await createTenantFixture(api);
  const t = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'Files', body: 'hi' });
  const stale = await uploadOne(api, f.agent.token, { name: 'stale.txt', content: 'never used' });
  const fresh = await uploadOne(api, f.agent.token, { name: 'fresh.txt', content: 'just uploaded' });
  const used = await uploadOne(api, f.agent.token, { name: 'used.txt', content: 'attached' });
  const res = await api.gql(`mutation($input: AddArticleInput!) { addArticle(input: $input) { __typename } }`, { input: { ticketId: t.id, body: 'see file', attachmentIds: [used] } }, f.agent.token);
  expect(res.data.addArticle.__typename).toBe('AddArticleSuccess');
  const rows = await withTenant(api.services.db, f.tenant.id, (tx) => tx.attachmentUpload.findMany({ where: { id: { in: [stale, fresh, used] } } }));
  const key = (id: string) => rows.find((r) => r.id === id)!.storageKey;
  // two hours ago: past the one-hour TTL
  await api.services.systemDb.attachmentUpload.updateMany({ where: { id: { in: [stale, used] } }, data: { createdAt: new Date(Date.now() - 2 * 3600_000) } });

  const events = new QueueEvents('maintenance', { connection: new Redis(api.services.config.REDIS_URL, { maxRetriesPerRequest: null }) as never, prefix });
  await events.waitUntilReady();
  const first = await (await enqueue(api.services.config.REDIS_URL, attachmentsPurgeJob, {}, { prefix, jobId: `purge-1-${prefix}` })).waitUntilFinished(events, 30_000);
  expect(first.purged).toBeGreaterThanOrEqual(1);
  expect(first.forgotten).toBeGreaterThanOrEqual(1);
  const left = await withTenant(api.services.db, f.tenant.id, (tx) => tx.attachmentUpload.findMany({ where: { id: { in: [stale, fresh, used] } }, select: { id: true } }));
  expect(left.map((r) => r.id)).toEqual([fresh]);
  expect(await api.services.blobs.exists(key(stale))).toBe(false);
  expect(await api.services.blobs.exists(key(fresh))).toBe(true);
  expect(await api.services.blobs.exists(key(used))).toBe(true);
  // the attached file still downloads; the purged upload can no longer be attached
  expect((await download(api, f.agent.token, used)).status).toBe(200);
  const late = await api.gql(`mutation($input: AddArticleInput!) { addArticle(input: $input) { __typename ... on AttachmentUnusableError { reason } } }`, { input: { ticketId: t.id, body: 'late', attachmentIds: [stale] } }, f.agent.token);
  expect(late.data.addArticle).toEqual({ __typename: 'AttachmentUnusableError', reason: 'NOT_FOUND' });

  const second = await (await enqueue(api.services.config.REDIS_URL, attachmentsPurgeJob, {}, { prefix, jobId: `purge-2-${prefix}` })).waitUntilFinished(events, 30_000);
  expect(second).toEqual({ purged: 0, forgotten: 0 });
  await events.close();
});
