// Benchmark: N graphql-ws clients subscribed over 2 API instances (separate processes sharing
// Redis pub/sub); K ticket updates through instance A; every client must get every update.
// Prints delivery, latency percentiles (event published after commit -> received by the client)
// and the servers' memory per connection. Not part of the test run.
//
//   PARLEY_BENCH_ADMIN_URL=postgres://postgres@127.0.0.1:55432/parley_bench REDIS_URL=redis://127.0.0.1:63799 \
//     pnpm exec node bench/subscriptions.bench.ts [clients=2000] [updates=20] [ms between updates=1000]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { migrate } from '@parley/db/migrate.ts';
import { withTenant } from '@parley/db';
import { loadConfig } from '@parley/api/config.ts';
import { TEST_SECRETS_KEY } from '../support/secrets-key.ts';
import { createServices } from '@parley/api/services.ts';
import { onboardTenant } from '@parley/api/tenants/onboard-tenant.ts';
import { login } from '@parley/api/auth/login.ts';

const clients = Number(process.argv[2] ?? 2000);
const updates = Number(process.argv[3] ?? 20);
const spacingMs = Number(process.argv[4] ?? 1000);
const adminUrl = process.env.PARLEY_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:55432/parley_bench';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:63799';

const { appUrl, systemUrl } = await migrate(adminUrl);
const env = { DATABASE_APP_URL: appUrl, DATABASE_SYSTEM_URL: systemUrl, REDIS_URL: redisUrl, SECRETS_KEY: TEST_SECRETS_KEY, LOG_LEVEL: 'warn', EVENT_FAN_OUT: 'false', API_HOST: '127.0.0.1', DB_POOL_SIZE: '10', LOGIN_ATTEMPTS_PER_15_MIN: '100000', LOGIN_ATTEMPTS_PER_IP_15_MIN: '1000000' };
const services = createServices(loadConfig(env), 'bench');
const slug = `bench${randomBytes(4).toString('hex')}`;
const { tenant, queues } = await onboardTenant(services.db, { slug, name: 'Bench', adminEmail: `admin@${slug}.test`, adminPassword: 'correct-horse-battery' });
const { token } = await login(services, { tenantSlug: slug, email: `admin@${slug}.test`, password: 'correct-horse-battery' }, { ip: `10.${randomBytes(3).join('.')}`, userAgent: 'bench' });
const queueId = queues.find((q) => q.name === 'Support')!.id;

const serverTs = fileURLToPath(new URL('../../api/src/server.ts', import.meta.url));
function startApi(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [serverTs], { env: { ...process.env, ...env, API_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 20_000;
    const poll = async () => {
      try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return resolve(child); } catch { /* not yet */ }
      if (Date.now() > deadline) return reject(new Error('API did not start'));
      setTimeout(poll, 100);
    };
    void poll();
  });
}
const rssOf = (p: ChildProcess) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))![1]) * 1024;
const ports = [41000 + Math.floor(Math.random() * 1000), 42000 + Math.floor(Math.random() * 1000)];
const apis = await Promise.all(ports.map(startApi));
const gql = async (query: string, variables: object) => {
  const res = await fetch(`http://127.0.0.1:${ports[0]}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data: any; errors?: unknown };
};

try {
  const ticket = (await gql(`mutation($i: CreateTicketInput!) { createTicket(input: $i) { ... on CreateTicketSuccess { ticket { id } } } }`, { i: { queueId, title: 'bench', body: 'x' } })).data.createTicket.ticket;
  const priorities = await withTenant(services.db, tenant.id, (tx) => tx.priority.findMany({ orderBy: { level: 'asc' } }));
  await new Promise((r) => setTimeout(r, 500));
  const rssBefore = apis.map(rssOf);

  // connect in waves; each client subscribes to ticketChanged of the queue
  const received = new Map<string, number[]>(); // eventId -> latencies
  let subscribed = 0;
  const conns: Client[] = [];
  const t0 = performance.now();
  for (let i = 0; i < clients; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, clients - i) }, (_, j) => new Promise<void>((resolve, reject) => {
      const client = createClient({ url: `ws://127.0.0.1:${ports[(i + j) % 2]}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false, onNonLazyError: reject });
      conns.push(client);
      client.on('connected', () => { subscribed++; resolve(); });
      client.subscribe<{ ticketChanged: { id: string; at: string } }>({ query: `subscription($q: ID) { ticketChanged(queueId: $q) { id at kind } }`, variables: { q: queueId } }, {
        next: (r) => {
          const e = r.data!.ticketChanged;
          const now = Date.now();
          let list = received.get(e.id);
          if (!list) received.set(e.id, (list = []));
          list.push(now - Date.parse(e.at));
        },
        error: (err) => console.error('subscription error', err),
        complete: () => {},
      });
    })));
  }
  const connectMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 2000)); // let every subscribe reach its server
  const rssAfter = apis.map(rssOf);

  for (let u = 0; u < updates; u++) {
    await gql(`mutation($i: SetTicketPriorityInput!) { setTicketPriority(input: $i) { __typename } }`, { i: { ticketId: ticket.id, priorityId: priorities[u % 2 === 0 ? 3 : 2].id } });
    await new Promise((r) => setTimeout(r, spacingMs));
  }
  await new Promise((r) => setTimeout(r, 3000));

  const all = [...received.values()].flat().sort((a, b) => a - b);
  const pct = (p: number) => all[Math.min(all.length - 1, Math.floor((p / 100) * all.length))];
  const complete = [...received.values()].filter((l) => l.length === clients).length;
  const perConn = rssAfter.map((r, i) => (r - rssBefore[i]) / (clients / 2));
  console.log(JSON.stringify({
    clients, instances: 2, updates, spacingMs, eventsSeen: received.size, updatesReachingAllClients: complete,
    deliveries: all.length, expectedDeliveries: clients * updates,
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: all[all.length - 1] },
    connectSeconds: +(connectMs / 1000).toFixed(1), subscribed,
    serverRssMB: { before: rssBefore.map((r) => +(r / 1e6).toFixed(1)), after: rssAfter.map((r) => +(r / 1e6).toFixed(1)) },
    serverBytesPerConnection: perConn.map((b) => Math.round(b)),
  }, null, 2));
  await Promise.all(conns.map((c) => c.dispose()));
} finally {
  for (const a of apis) a.kill('SIGTERM');
  await services.close();
}
process.exit(0);
