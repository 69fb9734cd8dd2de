// Harness for browser end-to-end tests: builds web/ when stale (once, under a lock, so several e2e
// files can run in parallel), runs the built app (node web/build/index.js) as a child process
// against a real API, and drives Debian's Chromium (playwright-core). Tenants are addressed by host
// (`<slug>.localhost:<port>`; Chromium resolves *.localhost to loopback). Screenshots go to
// test/artifacts/ (gitignored); axe-core checks pages for serious and critical violations.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApi } from './api.ts';
import { launchChromium } from './chromium.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB = join(ROOT, 'web');
export const ARTIFACTS = join(ROOT, 'test/artifacts');
export const UI_TIMEOUT = 30_000;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newestMtime(join(path, entry)));
  return max;
}

function buildIsFresh(): boolean {
  const built = join(WEB, 'build/index.js');
  const sources = Math.max(newestMtime(join(WEB, 'src')), statSync(join(WEB, 'vite.config.ts')).mtimeMs, statSync(join(WEB, 'package.json')).mtimeMs);
  return existsSync(built) && statSync(built).mtimeMs >= sources;
}

/** Builds web/ when web/build/index.js is missing or older than its sources; one builder at a time. */
export async function ensureWebBuild() {
  if (buildIsFresh()) return;
  const lock = join(WEB, '.build.lock');
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      // Another test file is building; a lock older than the deadline is a crashed builder's.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (buildIsFresh()) return;
    const res = spawnSync('pnpm', ['--filter', '@parley/web', 'build'], { cwd: ROOT, encoding: 'utf8', env: process.env });
    if (res.status !== 0) throw new Error(`web build failed:\n${res.stdout}\n${res.stderr}`);
  } finally {
    rmSync(lock, { force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`web server exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`web server did not answer on ${url}:\n${output()}`);
}

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown; failureSummary?: string }> }

/** Runs axe-core in the page; returns the serious and critical violations (readable). */
export async function seriousViolations(page: Page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run();
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} → ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);
}

export async function shot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `e2e-${name}.png`), fullPage: true });
}

/**
 * Makes goto, reload and waitForURL on `page` also wait until the SvelteKit app has hydrated (the
 * root layout sets html[data-hydrated]) when the page is one of the app's. A click that lands before
 * hydration can be lost in Chromium: the native form submission or link navigation it starts is
 * cancelled when the starting router calls history.replaceState, so a test on a slow machine would
 * wait for a result that never comes. After a client-side navigation the mark is already there.
 */
function waitsForHydration(page: Page): Page {
  const hydrated = () =>
    page.waitForFunction(
      () =>
        document.documentElement.dataset.hydrated === '1' ||
        // not an app page: a CSV, an attachment, SvelteKit's static error page
        document.querySelector('link[href*="/_app/immutable/entry/"], script[src*="/_app/immutable/entry/"]') === null,
    );
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  const waitForURL = page.waitForURL.bind(page);
  page.goto = async (url, options) => {
    const r = await goto(url, options);
    if (options?.waitUntil !== 'commit') await hydrated();
    return r;
  };
  page.reload = async (options) => {
    const r = await reload(options);
    if (options?.waitUntil !== 'commit') await hydrated();
    return r;
  };
  page.waitForURL = async (url, options) => {
    await waitForURL(url, options);
    if (options?.waitUntil !== 'commit') await hydrated();
  };
  return page;
}

export interface WebApp {
  port: number;
  /** http://<slug>.localhost:<port>, or http://localhost:<port> without a slug. */
  origin(slug?: string): string;
  browser: Browser;
  /** A fresh browser context (own cookies) with the UI timeouts; closed by close(). Its goto and
   *  reload wait for hydration (see waitsForHydration). */
  newPage(options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<Page>;
  /** Signs in on a /login or /portal/login form and waits for the landing URL. */
  signIn(page: Page, email: string, password: string, landing: RegExp): Promise<void>;
  /** Screenshots every open page (call from afterEach when a test failed). */
  shootFailure(name: string): Promise<void>;
  output(): string;
  close(): Promise<void>;
}

/** Builds (if needed) and starts the web app against `api`, and launches Chromium. */
export async function startWebApp(api: TestApi, env: Record<string, string> = {}): Promise<WebApp> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureWebBuild();
  const port = await freePort();
  let webOutput = '';
  const web = spawn(process.execPath, [join(WEB, 'build/index.js')], {
    cwd: WEB,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: `http://localhost:${port}`,
      PARLEY_API_URL: api.url,
      API_URL: api.url,
      PARLEY_SECURE_COOKIES: '0',
      PARLEY_API_TIMEOUT_MS: '30000',
      NODE_ENV: 'production',
      BODY_SIZE_LIMIT: '52M',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  web.stdout?.on('data', (d) => { webOutput += d; });
  web.stderr?.on('data', (d) => { webOutput += d; });
  await waitForHttp(`http://127.0.0.1:${port}/login`, web, () => webOutput);
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];

  return {
    port,
    browser,
    origin: (slug?: string) => `http://${slug ? `${slug}.` : ''}localhost:${port}`,
    async newPage(options = {}) {
      const ctx = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, locale: options.locale ?? 'en-US' });
      ctx.setDefaultTimeout(UI_TIMEOUT);
      ctx.setDefaultNavigationTimeout(UI_TIMEOUT);
      contexts.push(ctx);
      return waitsForHydration(await ctx.newPage());
    },
    async signIn(page, email, password, landing) {
      await page.fill('#email', email);
      await page.fill('#password', password);
      await Promise.all([page.waitForURL(landing), page.click('.login-card button[type=submit]')]);
    },
    async shootFailure(name) {
      let i = 0;
      for (const c of contexts) for (const p of c.pages()) await p.screenshot({ path: join(ARTIFACTS, `e2e-failed-${name.slice(0, 20).replace(/\W+/g, '-')}-${i++}.png`) }).catch(() => {});
    },
    output: () => webOutput,
    async close() {
      for (const ctx of contexts) await ctx.close().catch(() => {});
      await browser.close().catch(() => {});
      if (web.exitCode === null) {
        const exited = new Promise((r) => web.once('exit', r));
        web.kill('SIGTERM');
        await exited;
      }
    },
  };
}
