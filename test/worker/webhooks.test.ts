// Outgoing webhooks: signed, retried with backoff through BullMQ, delivery log in GraphQL, per tenant.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyWebhookSignature, sendWebhookDelivery, SIGNATURE_HEADER } from '@parley/api/partners/webhooks.ts';
import { isPublicAddress } from '@parley/api/partners/public-network-fetch.ts';
import { withTenant } from '@parley/db';
import { closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { ticketEventJob } from '@parley/worker/jobs/ticket-event/definition.ts';
import { webhookDeliverJob } from '@parley/worker/jobs/webhook-deliver/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { waitUntil } from '../support/mail.ts';

const prefix = `t${randomBytes(4).toString('hex')}`;
let api: TestApi;
let running: RunningWorkers;
let f: TenantFixture;
let g: TenantFixture;
let receiver: Server;
let receiverUrl: string;
type Received = { path: string; body: string; headers: Record<string, string | string[] | undefined>; at: number };
const received: Received[] = [];
/** Path -> how many requests to answer with 500 before succeeding */
const failFirst = new Map<string, number>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ path: req.url!, body, headers: req.headers, at: Date.now() });
      const left = failFirst.get(req.url!) ?? 0;
      if (left > 0) {
        failFirst.set(req.url!, left - 1);
        res.writeHead(500).end('try again');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  api = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  running = await runWorkers(api.services, [ticketEventJob, webhookDeliverJob], { prefix });
  [f, g] = await Promise.all([createTenantFixture(api), createTenantFixture(api)]);
});
afterAll(async () => {
  await running.close();
  await closeQueues();
  await api.close();
  await new Promise((r) => receiver.close(r));
});

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { __typename
  ... on CreateWebhookSuccess { created { secret webhook { id url events } } } ... on Error { code message } } }`;
const LOG = `{ webhooks { id url deliveries { eventKind status attempts lastStatusCode lastError payload } } }`;

const until = <T>(fn: () => Promise<T | undefined | null | false>, ms = 20_000) => waitUntil(fn, ms);

it('signs each delivery with HMAC-SHA256, retries failures with backoff, and logs them for the admin', async () => {
  const path = `/hook-a-${randomBytes(3).toString('hex')}`;
  failFirst.set(path, 2);
  const res = await api.gql(CREATE, { i: { url: `${receiverUrl}${path}`, events: ['TICKET_CREATED'] } }, f.admin.token);
  const { secret, webhook } = res.data.createWebhook.created;
  expect(secret).toMatch(/^whsec_/);
  const ticket = await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'hook me', body: 'x' });

  const ok = await until(async () => {
    const hits = received.filter((r) => r.path === path);
    return hits.length >= 3 && hits;
  });
  expect(ok.length).toBe(3); // two 500s, then success; nothing after it
  for (const hit of ok) {
    expect(hit.body).toBe(ok[0].body); // the same payload every attempt
    expect(verifyWebhookSignature(secret, hit.body, String(hit.headers[SIGNATURE_HEADER]))).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', hit.body, String(hit.headers[SIGNATURE_HEADER]))).toBe(false);
    expect(hit.headers['parley-event']).toBe('TICKET_CREATED');
  }
  expect(verifyWebhookSignature(secret, ok[0].body.replace('TICKET', 'TICKEt'), String(ok[0].headers[SIGNATURE_HEADER]))).toBe(false);
  // exponential backoff: about 1 s, then about 2 s
  expect(ok[1].at - ok[0].at).toBeGreaterThanOrEqual(900);
  expect(ok[2].at - ok[1].at).toBeGreaterThanOrEqual(1800);
  const payload = JSON.parse(ok[0].body);
  expect(payload).toMatchObject({ kind: 'TICKET_CREATED', tenantId: f.tenant.id, queueId: f.queue('Support').id });
  expect(Buffer.from(ticket.id, 'base64').toString()).toContain(payload.ticketId);
  expect(payload.title).toBeUndefined(); // ids and facts only

  const log = await until(async () => {
    const r = await api.gql(LOG, {}, f.admin.token);
    const hook = r.data.webhooks.find((h: { id: string }) => h.id === webhook.id);
    return hook.deliveries[0]?.status === 'SUCCEEDED' && hook;
  });
  expect(log.deliveries).toHaveLength(1); // only the subscribed kind (no ARTICLE_ADDED etc.)
  expect(log.deliveries[0]).toMatchObject({ eventKind: 'TICKET_CREATED', attempts: 3, lastStatusCode: 204, lastError: null });
});

it('tenant B\'s webhook never receives tenant A\'s events, and B cannot see A\'s webhooks', async () => {
  const pathB = `/hook-b-${randomBytes(3).toString('hex')}`;
  const pathA = `/hook-a2-${randomBytes(3).toString('hex')}`;
  await api.gql(CREATE, { i: { url: `${receiverUrl}${pathB}` } }, g.admin.token);
  await api.gql(CREATE, { i: { url: `${receiverUrl}${pathA}` } }, f.admin.token);
  await openTicket(api, f.agent.token, { queueId: f.queue('Support').id, title: 'only A', body: 'x' });
  await until(async () => received.some((r) => r.path === pathA));
  await new Promise((r) => setTimeout(r, 500));
  expect(received.filter((r) => r.path === pathB)).toHaveLength(0);
  const bLog = await api.gql(LOG, {}, g.admin.token);
  expect(bLog.data.webhooks.map((h: { url: string }) => h.url)).toEqual([`${receiverUrl}${pathB}`]);
  expect(bLog.data.webhooks[0].deliveries).toEqual([]);
  // nor switch A's webhook off by its id
  const aHook = (await api.gql(LOG, {}, f.admin.token)).data.webhooks[0].id;
  const off = await api.gql(`mutation($id: ID!) { setWebhookActive(id: $id, active: false) { __typename } }`, { id: aHook }, g.admin.token);
  expect(off.data.setWebhookActive.__typename).toBe('NotFoundError');
  // agents (not admins) cannot read the log
  expect((await api.gql(LOG, {}, f.agent.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('the same event job assigns new ownerless tickets automatically when the queue says so', async () => {
  const set = `mutation($q: ID!) { setQueueAutoAssign(queueId: $q, strategy: LEAST_LOADED) { __typename } }`;
  expect((await api.gql(set, { q: f.queue('Raw').id }, f.admin.token)).data.setQueueAutoAssign.__typename).toBe('SetQueueAutoAssignSuccess');
  const t = await openTicket(api, f.admin.token, { queueId: f.queue('Raw').id, title: 'assign me', body: 'x' });
  const owner = await until(async () => (await api.gql('query($n: String!) { ticket(number: $n) { owner { id } } }', { n: t.number }, f.admin.token)).data.ticket.owner);
  expect(owner.id).toBeTruthy();
});

it('in SaaS mode webhooks cannot reach the platform\'s own network: refused when saved and when called', async () => {
  expect(['8.8.8.8', '2a00:1450::1', '93.184.215.14'].every(isPublicAddress)).toBe(true);
  expect(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '224.0.0.1', 'not-an-ip']
    .some(isPublicAddress)).toBe(false);

  const saas = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'false', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
  try {
    for (const url of [`${receiverUrl}/x`, 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:7f00:1]/', 'http://10.0.0.7/hook']) {
      const res = await saas.gql(CREATE, { i: { url } }, f.admin.token);
      expect(res.data.createWebhook).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    }
  } finally {
    await saas.close();
  }

  // A host name is judged by what it resolves to when called (DNS rebinding): localhost → 127.0.0.1.
  const path = `/rebind-${randomBytes(3).toString('hex')}`;
  const port = new URL(receiverUrl).port;
  const created = await api.gql(CREATE, { i: { url: `http://localhost:${port}${path}`, events: ['TICKET_MERGED'] } }, f.admin.token);
  const webhookId = created.data.createWebhook.created.webhook.id;
  const delivery = await withTenant(api.services.db, f.tenant.id, (tx) => tx.webhookDelivery.create({
    data: { tenantId: f.tenant.id, webhookId, eventId: crypto.randomUUID(), eventKind: 'TICKET_MERGED', payload: { kind: 'TICKET_MERGED' } },
  }));
  await expect(sendWebhookDelivery(api.services.db, api.services.secrets, f.tenant.id, delivery.id, { finalAttempt: true, allowPrivateNetworks: false })).rejects.toThrow(/not a public address/);
  const row = await withTenant(api.services.db, f.tenant.id, (tx) => tx.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } }));
  expect(row).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: null });
  expect(row.lastError).toMatch(/127\.0\.0\.1|::1/);
  expect(received.filter((r) => r.path === path)).toHaveLength(0);
});
