// Render figures of the built web app in Chromium on the big tenant (see generate-big-tenant.ts):
// first-contentful-paint and hydration ("parley:hydrated", marked in the root layout's onMount)
// of the queue view (first page: 25 tickets of one queue) and of a ticket with 200 articles, N runs each
// (default 20, after 2 warm-up loads), printed as p50/p95. Each run opens a new tab in one signed-in
// browser context (a returning agent: the app's JS and CSS are in the HTTP cache).
//
//   PARLEY_BENCH_ADMIN_URL=postgres://postgres@127.0.0.1:55432/parley_big REDIS_URL=redis://… \
//     pnpm --filter @parley/test run bench:web [runs]
import pg from 'pg';
import type { BrowserContext } from 'playwright-core';
import { BIG, BIG_PASSWORD } from './generate-big-tenant.ts';
import { gql, percentile, startBigTenantApi } from './lib.ts';
import { startWebApp } from '../support/web.ts';
import type { TestApi } from '../support/api.ts';

const RUNS = Number(process.argv[2] ?? 20);
const WARMUP = 2;
const ARTICLES = 200;
const TITLE = `Bench ticket with ${ARTICLES} articles`;

const { adminUrl, api } = await startBigTenantApi(Number(process.env.BENCH_API_PORT ?? 4791), 10);

const agentEmail = `agent1@${BIG.slug}.test`;

/** The ticket with 200 articles (made once through the API: a customer's ticket, then notes and phone calls). */
async function longTicket(token: string, queueId: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query(
      `SELECT t.number, (SELECT count(*) FROM "Article" a WHERE a."ticketId" = t.id)::int AS n
       FROM "Ticket" t JOIN "Tenant" x ON x.id = t."tenantId" WHERE x.slug = $1 AND t.title = $2 ORDER BY t."createdAt" LIMIT 1`, [BIG.slug, TITLE]);
    if (found.rowCount && found.rows[0].n >= ARTICLES) return found.rows[0].number as string;
  } finally {
    await admin.end();
  }
  const created = await gql(api.url, `mutation($i: CreateTicketInput!) { createTicket(input: $i) { ... on CreateTicketSuccess { ticket { id number } } } }`,
    { i: { queueId, title: TITLE, body: 'The first message of a long thread.\n\nIt goes on for a while.', customerEmail: 'long-thread@bench.example', channel: 'PHONE' } }, token);
  const { id, number } = created.createTicket.ticket as { id: string; number: string };
  const add = `mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename } }`;
  for (let k = 2; k <= ARTICLES; k++) {
    const body = `Message ${k} of the thread.\n\n${'The customer describes the problem in some detail, with steps to reproduce it. '.repeat(1 + (k % 5))}`;
    await gql(api.url, add, { i: { ticketId: id, kind: k % 2 ? 'NOTE' : 'PHONE', body, subject: `Step ${k}` } }, token);
  }
  return number;
}

interface Sample { ttfb: number; docEnd: number; dcl: number; fcp: number; hydrated: number; htmlBytes: number; dataBytes: number; assets: number; assetsEnd: number }

async function measure(ctx: BrowserContext, url: string, ready: string): Promise<Sample> {
  const page = await ctx.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('html[data-hydrated="1"]');
    await page.waitForSelector(ready);
    return await page.evaluate(() => ({
      // time to the first byte of the server-rendered HTML: the server side (web + API + database)
      ttfb: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseStart,
      // the whole document received, and parsed (DOMContentLoaded: deferred module scripts ran)
      docEnd: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd,
      dcl: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
      // JS and CSS files the page loaded (from the HTTP cache for a returning agent) and when the last one arrived
      assets: performance.getEntriesByType('resource').filter((r) => /\.(js|css)(\?|$)/.test(r.name)).length,
      assetsEnd: Math.max(0, ...performance.getEntriesByType('resource').filter((r) => /\.(js|css)(\?|$)/.test(r.name)).map((r) => (r as PerformanceResourceTiming).responseEnd)),
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      hydrated: performance.getEntriesByName('parley:hydrated')[0]?.startTime ?? Number.NaN,
      // the server-rendered document (markup + the serialized page data for hydration), uncompressed
      htmlBytes: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).decodedBodySize,
      // of it, the inline script that carries the page data into hydration (characters ≈ bytes)
      dataBytes: [...document.scripts].filter((s) => !s.src).reduce((n, s) => n + (s.textContent?.length ?? 0), 0),
    }));
  } finally {
    await page.close();
  }
}

function report(label: string, samples: Sample[]) {
  const line = (what: string, v: number[]) => `${what} p50=${percentile(v, 50).toFixed(0)} ms p95=${percentile(v, 95).toFixed(0)} ms max=${Math.max(...v).toFixed(0)} ms`;
  console.log(`${label} (n=${samples.length}):\n  ${line('first byte     ', samples.map((s) => s.ttfb))}\n  ${line('document end   ', samples.map((s) => s.docEnd))}\n  ${line('JS/CSS loaded  ', samples.map((s) => s.assetsEnd))} (${percentile(samples.map((s) => s.assets), 50)} files)\n  ${line('DOMContentLoaded', samples.map((s) => s.dcl))}\n  ${line('first-contentful-paint', samples.map((s) => s.fcp))}\n  ${line('hydrated       ', samples.map((s) => s.hydrated))}\n  document ${(percentile(samples.map((s) => s.htmlBytes), 50) / 1024).toFixed(0)} KiB, of it inline page data ${(percentile(samples.map((s) => s.dataBytes), 50) / 1024).toFixed(0)} KiB`);
}

let web: Awaited<ReturnType<typeof startWebApp>> | null = null;
try {
  const login = await gql(api.url, `mutation { login(input: { tenantSlug: "${BIG.slug}", email: "${agentEmail}", password: "${BIG_PASSWORD}" }) { ... on LoginSuccess { token } } }`);
  const token: string = login.login.token;
  const queues = (await gql(api.url, '{ queues { id name } }', {}, token)).queues as Array<{ id: string; name: string }>;
  const queue = queues.find((q) => q.name === 'Queue 01') ?? queues[0];
  const number = await longTicket(token, queue.id);

  web = await startWebApp({ url: api.url } as TestApi);
  const ctx = await web.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  ctx.setDefaultTimeout(60_000);
  const signin = await ctx.newPage();
  await signin.goto(`${web.origin(BIG.slug)}/login`);
  await web.signIn(signin, agentEmail, BIG_PASSWORD, /\/agent/);
  await signin.close();

  const views = [
    { label: 'queue view (first page, 25 tickets of one queue)', url: `${web.origin(BIG.slug)}/agent/tickets?queue=${encodeURIComponent(queue.id)}&state=all`, ready: 'table.tickets tbody tr' },
    { label: `ticket view (${ARTICLES} articles)`, url: `${web.origin(BIG.slug)}/agent/tickets/${encodeURIComponent(number)}`, ready: 'ol.articles > li' },
    // every article expanded (the "show all earlier articles" link without JavaScript)
    { label: `ticket view (${ARTICLES} articles, all shown: ?thread=all)`, url: `${web.origin(BIG.slug)}/agent/tickets/${encodeURIComponent(number)}?thread=all`, ready: 'ol.articles > li' },
  ];
  console.log(`web render bench: tenant ${BIG.slug}, ${RUNS} runs per view after ${WARMUP} warm-up loads, Chromium headless; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const v of views) {
    for (let i = 0; i < WARMUP; i++) await measure(ctx, v.url, v.ready);
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await measure(ctx, v.url, v.ready));
    report(v.label, samples);
  }
  const check = await ctx.newPage();
  await check.goto(views[1].url);
  console.log(`ticket view renders ${await check.locator('ol.articles > li article').count()} articles`);
  await ctx.close();
} finally {
  await web?.close();
  await api.stop();
}
process.exit(0);
