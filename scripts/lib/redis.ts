// A private Redis server for Parley: Debian's `redis-server` binary, bound to loopback, with its
// pid file, log and (when persistent) append-only file under `dataDir/redis/`.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { assertPortFree, isAlive, run, sleep, waitForExit } from './run.ts';

export type RedisOptions = {
  dataDir: string;
  port: number;
  /** true: append-only file, so queued jobs survive a restart (the demo). false: memory only (tests). */
  persistent: boolean;
  /** An external server's URL: nothing is started, the URL is only checked. */
  externalUrl?: string;
};

export type RedisService = { url: string; external: boolean };

const HOST = '127.0.0.1';
const REDIS_BINARY = 'redis-server';

export async function ensureRedis(options: RedisOptions): Promise<RedisService> {
  if (options.externalUrl) {
    const url = new URL(options.externalUrl);
    await waitForPort(url.hostname, Number(url.port || 6379), 5_000);
    return { url: options.externalUrl, external: true };
  }
  const dir = path.join(path.resolve(options.dataDir), 'redis');
  await fs.mkdir(dir, { recursive: true });
  const url = `redis://${HOST}:${options.port}`;

  const running = await runningServer(dir);
  if (running) {
    if (running.port === options.port && running.persistent === options.persistent && (await ping(options.port))) {
      return { url, external: false };
    }
    console.log(`[services] redis runs with other settings (port ${running.port}), restarting it`);
    await stopRedis(options.dataDir);
  }
  await start(dir, options.port, options.persistent);
  return { url, external: false };
}

export async function stopRedis(dataDir: string): Promise<boolean> {
  const dir = path.join(path.resolve(dataDir), 'redis');
  const running = await runningServer(dir);
  if (!running) return false;
  // SIGTERM makes redis flush its append-only file and exit cleanly.
  process.kill(running.pid, 'SIGTERM');
  if (!(await waitForExit(running.pid, 15_000))) {
    process.kill(running.pid, 'SIGKILL');
    await waitForExit(running.pid, 5_000);
  }
  await fs.rm(path.join(dir, 'redis.pid'), { force: true });
  return true;
}

export async function redisStatus(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const running = await runningServer(path.join(path.resolve(dataDir), 'redis'));
  return running && { pid: running.pid, port: running.port };
}

/** Deletes every key of the local server on `port` (tests start from an empty Redis). */
export async function flushRedis(port: number): Promise<void> {
  const reply = await command(port, ['FLUSHALL']);
  if (!reply.startsWith('+OK')) throw new Error(`FLUSHALL failed: ${reply}`);
}

async function start(dir: string, port: number, persistent: boolean): Promise<void> {
  await assertPortFree(port, 'Redis', 'PARLEY_REDIS_PORT or PARLEY_TEST_REDIS_PORT');
  const pidFile = path.join(dir, 'redis.pid');
  const args = [
    '--port', String(port),
    '--bind', HOST,
    '--dir', dir,
    '--daemonize', 'yes',
    '--pidfile', pidFile,
    '--logfile', path.join(dir, 'redis.log'),
    '--save', '',
    '--appendonly', persistent ? 'yes' : 'no',
    '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction', // BullMQ needs its keys kept
  ];
  await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ port, persistent }) + '\n');
  let result;
  try {
    result = await run(REDIS_BINARY, args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${REDIS_BINARY} is not installed: run ./parley (it installs it) or apt-get install redis-server`);
    }
    throw error;
  }
  if (result.code !== 0) throw new Error(`redis-server failed to start: ${result.stdout}${result.stderr}`);
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (Date.now() > deadline) {
      const log = await fs.readFile(path.join(dir, 'redis.log'), 'utf8').catch(() => '');
      throw new Error(`redis-server did not answer on ${HOST}:${port}\n${log.trim().split('\n').slice(-8).join('\n')}`);
    }
    await sleep(50);
  }
}

async function runningServer(dir: string): Promise<{ pid: number; port: number; persistent: boolean } | null> {
  const pidFile = path.join(dir, 'redis.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number((await fs.readFile(pidFile, 'utf8')).trim());
  if (!pid || !isAlive(pid)) return null;
  const comm = await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
  if (!comm.startsWith('redis-server')) return null;
  const settings = JSON.parse(await fs.readFile(path.join(dir, 'settings.json'), 'utf8').catch(() => '{}'));
  return { pid, port: Number(settings.port), persistent: Boolean(settings.persistent) };
}

async function ping(port: number): Promise<boolean> {
  try {
    return (await command(port, ['PING'])).startsWith('+PONG');
  } catch {
    return false;
  }
}

/** Sends one command in RESP and returns the first line of the reply. */
function command(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    let reply = '';
    socket.setTimeout(2_000, () => socket.destroy(new Error('redis: timeout')));
    socket.on('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.split('\r\n')[0]);
      }
    });
    socket.on('error', reject);
  });
}

function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host, port }, () => {
        socket.end();
        resolve();
      });
      socket.on('error', (error) => {
        if (Date.now() > deadline) reject(new Error(`cannot reach Redis at ${host}:${port}: ${error.message}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}
