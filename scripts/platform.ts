// Parley's orchestrator, behind `./parley <command>` (which installs the system packages and the
// workspace first). Commands:
//
//   up [--detach]   demo services (.data/) → migrate → seed → API, worker, web; prints the URLs and
//                   demo logins. Foreground: Ctrl-C/SIGTERM stops everything. --detach: returns once
//                   all answer, leaving them running (pids in .data/pids; `stop` ends them).
//   test [args]     test services (.data/test/, other ports) → fresh database parley_test →
//                   migrate → `vitest run [args]` in the test package → stop the test services.
//   stop            stops the apps and the demo and test services.
//   status          what runs, where.
//   migrate | seed  demo services → migrate (→ seed).
//
// Environment: see scripts/lib/services.ts for data directories, ports and external servers, and
//   API_PORT (4000), WEB_PORT (3000)   where the API and the web app listen
// The apps (API, worker, web) get DATABASE_URL (superuser/owner URL of the Parley database),
// DATABASE_APP_URL, DATABASE_SYSTEM_URL (the roles migrate() creates), REDIS_URL, API_PORT,
// WEB_PORT, PORT (web), API_URL, ORIGIN, WEB_ORIGINS and PROVIDER_TOKEN; API and worker also get
// SECRETS_KEY (the web app does not need it).
//
//   PROVIDER_TOKEN                     the platform provider's token (default: generated once and
//                                      kept in .data/provider-token)
//   SECRETS_KEY                        the key encrypting tenant secrets at rest (default: 32 random
//                                      bytes generated once and kept in .data/secrets-key, mode 600)
//   PARLEY_DB_NAME (parley)            the demo database's name on the private server
//   PARLEY_KEEP_TEST_SERVICES=1        `test` leaves its Postgres/Redis running (faster reruns)
//
// The test run gets (documented here for test/support):
//   PARLEY_TEST_ADMIN_URL    superuser URL of the fresh, migrated database `parley_test`
//   PARLEY_TEST_SERVER_URL   superuser URL of the test server's `postgres` database (to create more)
//   DATABASE_URL             = PARLEY_TEST_ADMIN_URL (as for the apps: the migrating connection)
//   DATABASE_APP_URL         the app role's URL of parley_test (the superuser's before migrations exist)
//   DATABASE_SYSTEM_URL      the system role's URL of parley_test (likewise)
//   PARLEY_TEST_MIGRATED     1 when prisma/src/migrate.ts ran, else 0
//   REDIS_URL                the test Redis (flushed at the start of the run)
//   PARLEY_CHROMIUM_PATH     /usr/bin/chromium unless set
//   PARLEY_TEST_DATA_DIR     the test services' directory (scratch space may go under it)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { banner } from './lib/banner.ts';
import { platformSecretsKey } from './lib/secrets-key.ts';
import { prepareDatabase, seedDemoData } from './lib/database.ts';
import type { DatabaseUrls } from './lib/database.ts';
import { isRunningApp, readPids, startApp, stopFromPidFile, stopGroup, waitForHttp, writePids } from './lib/processes.ts';
import type { AppProcess, AppSpec } from './lib/processes.ts';
import { demoProfile, ensureServices, flushRedis, repoRoot, servicesStatus, stopServices, testProfile } from './lib/services.ts';
import type { Profile } from './lib/services.ts';

const apiPort = Number(process.env.API_PORT || 4000);
const webPort = Number(process.env.WEB_PORT || 3000);

async function main(): Promise<number> {
  const [command = 'help', ...args] = process.argv.slice(2);
  switch (command) {
    case 'up':
      return up({ detach: args.includes('--detach') || args.includes('-d') });
    case 'test':
      return test(args);
    case 'stop':
      return stop();
    case 'status':
      return status();
    case 'migrate':
      return migrateOnly(false);
    case 'seed':
      return migrateOnly(true);
    case 'help':
    case '--help':
    case '-h':
      console.log('usage: ./parley up [--detach] | test [vitest args] | stop | status | migrate | seed');
      return 0;
    default:
      console.error(`unknown command "${command}"; try: ./parley help`);
      return 2;
  }
}

// --- up ---

async function prepareDemo(profile: Profile, seed: boolean) {
  await fs.mkdir(profile.dataDir, { recursive: true });
  const services = await ensureServices(profile);
  const db = await prepareDatabase(services.adminUrl, {
    name: process.env.PARLEY_DB_NAME || 'parley',
    external: Boolean(profile.externalDatabaseUrl),
    fresh: false,
  });
  const token = await providerToken(profile.dataDir);
  const secretsKey = await platformSecretsKey(profile.dataDir);
  if (seed) await seedDemoData({ ...db, redisUrl: services.redisUrl, providerToken: token });
  return { services, db, token, secretsKey };
}

async function up({ detach }: { detach: boolean }): Promise<number> {
  const profile = demoProfile();
  const pidFile = path.join(profile.dataDir, 'pids');
  const running = Object.entries(readPids(pidFile)).filter(([, pid]) => isRunningApp(pid));
  if (running.length) {
    console.log(`Parley is already running (${running.map(([name, pid]) => `${name} ${pid}`).join(', ')}). ./parley stop ends it.`);
    return 0;
  }

  const started = Date.now();
  const { services, db, token, secretsKey } = await prepareDemo(profile, true);
  await buildWebIfStale();

  const logDir = path.join(profile.dataDir, 'logs');
  await fs.mkdir(logDir, { recursive: true });
  const env = appEnv(db, services.redisUrl, token);
  const withKey = { ...env, SECRETS_KEY: secretsKey };
  const specs: AppSpec[] = [
    { name: 'api', entry: 'src/server.ts', cwd: path.join(repoRoot, 'api'), env: withKey },
    { name: 'worker', entry: 'src/main.ts', cwd: path.join(repoRoot, 'worker'), env: withKey },
    { name: 'web', entry: 'build/index.js', cwd: path.join(repoRoot, 'web'), env: { ...env, SECRETS_KEY: undefined, SECRETS_KEY_PREVIOUS: undefined, PORT: String(webPort) } },
  ];
  const skipped = specs.filter((spec) => !existsSync(path.join(spec.cwd, spec.entry))).map((spec) => spec.name);
  for (const name of skipped) {
    const spec = specs.find((s) => s.name === name)!;
    console.log(`[platform] ${path.relative(repoRoot, path.join(spec.cwd, spec.entry))} does not exist yet: ${name} not started`);
  }
  const apps = specs
    .filter((spec) => !skipped.includes(spec.name))
    .map((spec, index) => startApp(spec, index, { detached: detach, logFile: path.join(logDir, `${spec.name}.log`) }));
  await writePids(pidFile, { ...(detach ? {} : { platform: process.pid }), ...Object.fromEntries(apps.map((a) => [a.name, a.pid])) });

  // From here on a Ctrl-C/SIGTERM (even during startup) stops the children before we exit.
  let stopping: Promise<number> | undefined;
  const shutdown = (code: number) =>
    (stopping ??= (async () => {
      console.log('\n[platform] stopping…');
      for (const app of [...apps].reverse()) await stopGroup(app.pid);
      if (!detach) await stopServices(profile.dataDir);
      await fs.rm(pidFile, { force: true });
      console.log('[platform] stopped');
      return code;
    })());
  const interrupted = new Promise<number>((resolve) => {
    const onSignal = () => shutdown(0).then(resolve);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  const api = apps.find((a) => a.name === 'api');
  const web = apps.find((a) => a.name === 'web');
  const apiUrl = `http://localhost:${apiPort}/graphql`;
  const webUrl = `http://localhost:${webPort}`;
  const ready = Promise.all([
    api && waitForHttp(`http://127.0.0.1:${apiPort}/graphql`, api, 90_000),
    web && waitForHttp(`http://127.0.0.1:${webPort}/`, web, 90_000),
  ]).then(() => undefined);
  try {
    const early = await Promise.race([ready, interrupted]);
    if (early !== undefined) return early;
  } catch (error) {
    if (stopping) return stopping;
    console.error(`[platform] ${(error as Error).message}`);
    return shutdown(1);
  }

  console.log(
    banner({
      apiUrl: api && apiUrl,
      webUrl: web && webUrl,
      providerToken: token,
      dataDir: path.relative(process.cwd(), profile.dataDir) || '.',
      database: profile.externalDatabaseUrl ? 'DATABASE_URL' : `127.0.0.1:${profile.pgPort}`,
      redis: profile.externalRedisUrl ? 'REDIS_URL' : `127.0.0.1:${profile.redisPort}`,
      detached: detach,
      skipped,
    }),
  );
  console.log(`[platform] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (detach) return 0;

  if (!apps.length) return shutdown(0);
  const crashed = Promise.race(
    apps.map((app) =>
      app.exited.then((code) => {
        if (stopping) return stopping;
        console.error(`[platform] ${app.name} exited unexpectedly (code ${code})`);
        return shutdown(1);
      }),
    ),
  );
  return Promise.race([interrupted, crashed]);
}

function appEnv(db: DatabaseUrls, redisUrl: string, token: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: db.adminUrl,
    DATABASE_APP_URL: db.appUrl,
    DATABASE_SYSTEM_URL: db.systemUrl,
    REDIS_URL: redisUrl,
    API_PORT: String(apiPort),
    WEB_PORT: String(webPort),
    API_URL: process.env.API_URL || `http://127.0.0.1:${apiPort}/graphql`,
    ORIGIN: process.env.ORIGIN || `http://localhost:${webPort}`,
    WEB_ORIGINS: process.env.WEB_ORIGINS || `http://127.0.0.1:${webPort},http://localhost:${webPort}`,
    // adapter-node refuses larger bodies before the app sees them; attachments need room
    // (ATTACHMENT_MAX_REQUEST_BYTES 50 MB plus the form's text fields).
    BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT || '52M',
    PROVIDER_TOKEN: token,
  };
}

/** The provider token: PROVIDER_TOKEN, else one generated once and kept in the data directory. */
async function providerToken(dataDir: string): Promise<string> {
  if (process.env.PROVIDER_TOKEN) return process.env.PROVIDER_TOKEN;
  const file = path.join(dataDir, 'provider-token');
  try {
    const saved = (await fs.readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch {
    /* first run */
  }
  const token = `prv_${randomBytes(24).toString('base64url')}`;
  await fs.writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Builds the web app (SvelteKit, adapter-node) when its build is missing or older than its sources. */
async function buildWebIfStale(): Promise<void> {
  const web = path.join(repoRoot, 'web');
  if (!existsSync(path.join(web, 'package.json'))) return;
  const output = path.join(web, 'build', 'index.js');
  if (existsSync(output) && newestMtime(web, ['src', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts']) < statSync(output).mtimeMs) return;
  console.log('[platform] building the web app…');
  const code = await runInherit('pnpm', ['--filter', '@parley/web', 'build']);
  if (code !== 0) throw new Error(`the web build failed (exit ${code})`);
}

function newestMtime(dir: string, entries: string[]): number {
  let newest = 0;
  const visit = (file: string) => {
    if (!existsSync(file)) return;
    const stat = statSync(file);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const name of readdirSync(file)) visit(path.join(file, name));
  };
  for (const entry of entries) visit(path.join(dir, entry));
  return newest;
}

// --- test ---

async function test(args: string[]): Promise<number> {
  const profile = testProfile();
  await fs.mkdir(profile.dataDir, { recursive: true });
  const keep = process.env.PARLEY_KEEP_TEST_SERVICES === '1';
  let code = 1;
  try {
    const services = await ensureServices(profile);
    if (!profile.externalRedisUrl) await flushRedis(profile.redisPort);
    const db = await prepareDatabase(services.adminUrl, { name: 'parley_test', external: false, fresh: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PARLEY_TEST_ADMIN_URL: db.adminUrl,
      PARLEY_TEST_SERVER_URL: services.adminUrl,
      DATABASE_URL: db.adminUrl,
      DATABASE_APP_URL: db.appUrl,
      DATABASE_SYSTEM_URL: db.systemUrl,
      PARLEY_TEST_MIGRATED: db.migrated ? '1' : '0',
      REDIS_URL: services.redisUrl,
      PARLEY_CHROMIUM_PATH: process.env.PARLEY_CHROMIUM_PATH || '/usr/bin/chromium',
      PARLEY_TEST_DATA_DIR: profile.dataDir,
    };
    code = await runInherit('pnpm', ['--filter', '@parley/test', 'exec', 'vitest', 'run', ...args], env);
  } finally {
    if (!keep) await stopServices(profile.dataDir).catch((error) => console.error(`[services] stop failed: ${error.message}`));
  }
  return code;
}

/**
 * Runs a command with our stdio. pnpm puts its child in a process group of its own, so a Ctrl-C
 * does not reach it: we pass SIGINT/SIGTERM on as SIGTERM (pnpm forwards that) and wait.
 */
function runInherit(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, env, stdio: 'inherit' });
    const forward = () => child.kill('SIGTERM');
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 130 : 1));
    });
  });
}

// --- stop, status, migrate ---

async function stop(): Promise<number> {
  const demo = demoProfile();
  const apps = await stopFromPidFile(path.join(demo.dataDir, 'pids'));
  const demoServices = await stopServices(demo.dataDir);
  const testServices = await stopServices(testProfile().dataDir);
  const stopped = [
    ...apps,
    ...(demoServices.postgres ? ['postgres'] : []),
    ...(demoServices.redis ? ['redis'] : []),
    ...(testServices.postgres ? ['test postgres'] : []),
    ...(testServices.redis ? ['test redis'] : []),
  ];
  console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
  return 0;
}

async function status(): Promise<number> {
  const demo = demoProfile();
  const pids = readPids(path.join(demo.dataDir, 'pids'));
  const line = (name: string, state: string) => console.log(`  ${name.padEnd(14)} ${state}`);
  console.log('Parley');
  for (const name of ['platform', 'api', 'worker', 'web']) {
    const pid = pids[name];
    if (pid) line(name, isRunningApp(pid) ? `running (pid ${pid})` : `not running (stale pid ${pid})`);
    else if (name !== 'platform') line(name, 'not running');
  }
  for (const [label, profile] of [['', demo], ['test ', testProfile()]] as const) {
    const s = await servicesStatus(profile.dataDir);
    line(`${label}postgres`, s.postgres ? `running on 127.0.0.1:${s.postgres.port} (pid ${s.postgres.pid})` : 'not running');
    line(`${label}redis`, s.redis ? `running on 127.0.0.1:${s.redis.port} (pid ${s.redis.pid})` : 'not running');
  }
  if (pids.api && isRunningApp(pids.api)) line('GraphQL API', `http://localhost:${apiPort}/graphql`);
  if (pids.web && isRunningApp(pids.web)) line('web app', `http://localhost:${webPort}`);
  return 0;
}

async function migrateOnly(seed: boolean): Promise<number> {
  const { db } = await prepareDemo(demoProfile(), seed);
  if (!db.migrated) console.log('[db] nothing to migrate yet');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nparley: ${error.message}`);
    if (process.env.PARLEY_DEBUG) console.error(error.stack);
    process.exit(1);
  },
);
