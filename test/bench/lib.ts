import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { migrate } from '@parley/db/migrate.ts';
import { benchAdminUrl, benchTickets, generateBigTenant } from './generate-big-tenant.ts';
import { TEST_SECRETS_KEY } from '../support/secrets-key.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summary(label: string, ms: number[]) {
  return `${label}: n=${ms.length} p50=${percentile(ms, 50).toFixed(1)} ms p95=${percentile(ms, 95).toFixed(1)} ms max=${Math.max(...ms).toFixed(1)} ms`;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Starts the real API server as its own process (so its memory can be read) and waits for it. */
export async function startApiProcess(env: Record<string, string>, port: number): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'api/src/server.ts')], {
    env: { ...process.env, ...env, API_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, child,
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }),
  };
}

export async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json() as { data?: any; errors?: any };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

/**
 * The big tenant (generated when missing, see generate-big-tenant.ts) and an API process on it with
 * login limits lifted for benchmarking; `poolSize` is the API's DB_POOL_SIZE.
 */
export async function startBigTenantApi(port: number, poolSize: number) {
  const adminUrl = benchAdminUrl();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:63799';
  // PARLEY_BENCH_TICKETS: a smaller tenant for benches that do not depend on its size (web-render)
  await generateBigTenant(adminUrl, benchTickets());
  const { appUrl, systemUrl } = await migrate(adminUrl);
  const api = await startApiProcess({
    DATABASE_APP_URL: appUrl, DATABASE_SYSTEM_URL: systemUrl, REDIS_URL: redisUrl, SECRETS_KEY: TEST_SECRETS_KEY,
    LOGIN_ATTEMPTS_PER_15_MIN: '1000', LOGIN_ATTEMPTS_PER_IP_15_MIN: '100000', DB_POOL_SIZE: String(poolSize),
  }, port);
  return { adminUrl, redisUrl, api };
}
