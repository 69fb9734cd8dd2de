// End-to-end: a long thread in the agent ticket view (Chromium, real API). The view renders the
// newest 25 articles; "Show N earlier articles" reveals older ones (JS: client-side, focus on the
// newest revealed; without JS: a plain ?thread= link); a `#article-<id>` link or an article's
// permalink (?article=<id>) to an earlier article still reaches it; live updates keep working on
// the expanded thread; axe passes.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { seriousViolations, shot, startWebApp, UI_TIMEOUT, type WebApp } from '../support/web.ts';

const ARTICLES = 80; // 25 shown, 55 earlier: "show 50 more" and "show all" both appear

describe('long thread in the agent ticket view (Chromium, real API)', () => {
  let api: TestApi;
  let f: TenantFixture;
  let app: WebApp;
  let ticket: { id: string; number: string; title: string };
  /** Article ids, oldest first (index 0 = the customer's first message; then "Step 2" …) */
  let ids: string[] = [];

  const shownArticles = (page: Page) => page.locator('ol.articles > li article');
  const ticketUrl = (suffix = '') => `${app.origin(f.slug)}/agent/tickets/${encodeURIComponent(ticket.number)}${suffix}`;
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);

  async function agentPage() {
    const page = await app.newPage();
    await page.goto(`${app.origin(f.slug)}/login`);
    await app.signIn(page, f.agent.email, f.password, /\/agent/);
    return page;
  }

  beforeAll(async () => {
    api = await startTestApi();
    f = await createTenantFixture(api);
    ticket = await openTicket(api, f.customer.token, { queueId: f.queue('Support').id, title: 'A very long conversation', body: 'Step 1: it all began here.' });
    const add = `mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename } }`;
    for (let k = 2; k <= ARTICLES; k++) {
      const r = await api.gql(add, { i: { ticketId: ticket.id, kind: k % 2 ? 'NOTE' : 'PHONE', subject: `Step ${k}`, body: `Message ${k} of the thread.` } }, f.agent.token);
      expect(r.data.addArticle.__typename).toBe('AddArticleSuccess');
    }
    const thread = await api.gql(`query($n: String!) { ticket(number: $n) { articles(first: 500) { edges { node { id subject } } } } }`, { n: ticket.number }, f.agent.token);
    const nodes = thread.data.ticket.articles.edges.map((e: { node: { id: string; subject: string } }) => e.node);
    expect(nodes.slice(1).map((n: { subject: string }) => n.subject)).toEqual(Array.from({ length: ARTICLES - 1 }, (_, i) => `Step ${i + 2}`));
    ids = nodes.map((n: { id: string }) => n.id);
    app = await startWebApp(api);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await app?.shootFailure(ctx.task.name);
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('shows the newest 25 articles; the control loads the earlier ones, 50 at a time or all', async () => {
    const page = await agentPage();
    await page.goto(ticketUrl());
    expect(await shownArticles(page).count()).toBe(25);
    await expect(page.locator('ol.articles > li').last().locator('.subject').textContent()).resolves.toBe(`Step ${ARTICLES}`);
    await expect(page.locator('ol.articles > li').first().locator('.subject').textContent()).resolves.toBe(`Step ${ARTICLES - 24}`);
    expect(await page.locator(`article#article-${ids[0]}`).count()).toBe(0);
    await expect(page.locator('.earlier p').textContent()).resolves.toContain('55 earlier articles are not shown');
    await shot(page, 'long-thread-collapsed');
    expect(await seriousViolations(page)).toEqual([]);

    // with JS: one client-side fetch of the page data (not a document load, not two navigations)
    const dataRequests: string[] = [];
    page.on('request', (r) => { if (r.url().includes('__data.json') || r.resourceType() === 'document') dataRequests.push(`${r.resourceType()} ${r.url()}`); });
    await page.click('.earlier a:has-text("Show 50 earlier articles")');
    await page.waitForFunction(() => document.querySelectorAll('ol.articles > li article').length === 75);
    expect(dataRequests).toHaveLength(1);
    expect(dataRequests[0]).toMatch(/^fetch .*__data\.json\?thread=75/);
    expect(page.url()).toContain('thread=75');
    // focus (and the view) moves to the newest article just revealed, where the control was
    await page.waitForFunction((id) => document.activeElement?.id === `article-${id}`, ids[ARTICLES - 26]);
    await expect(page.locator('.earlier p').textContent()).resolves.toContain('5 earlier articles are not shown');

    await page.click('.earlier a:has-text("Show 5 earlier articles")');
    await page.waitForFunction((n) => document.querySelectorAll('ol.articles > li article').length === n, ARTICLES);
    expect(page.url()).toContain('thread=all');
    expect(await page.locator('.earlier').count()).toBe(0);
    expect(await page.locator('ol.articles > li article').first().getAttribute('id')).toBe(`article-${ids[0]}`);
    expect(await focusedId(page)).toBe(`article-${ids[4]}`);
    expect(await seriousViolations(page)).toEqual([]);

    // keyboard shortcuts still work on the expanded thread: n focuses the composer as a note
    await page.locator('h1').click();
    await page.keyboard.press('n');
    expect(await focusedId(page)).toBe('c-body');
    expect(await page.isChecked('input[name=kind][value=NOTE]')).toBe(true);
  });

  it('a #article- link to an earlier article reveals it and focuses it', async () => {
    const page = await agentPage();
    await page.goto(ticketUrl(`#article-${ids[2]}`));
    await page.waitForFunction((id) => document.activeElement?.id === `article-${id}`, ids[2]);
    await expect(page.locator(`#article-${ids[2]} .subject`).textContent()).resolves.toBe('Step 3');
    expect(await shownArticles(page).count()).toBe(ARTICLES - 2);
    expect(await page.locator(`#article-${ids[2]}`).isVisible()).toBe(true);

    // the permalink on an article's time names it with ?article= (works without JS, see below)
    const href = await page.locator(`#article-${ids[10]} a.permalink`).getAttribute('href');
    expect(href).toBe(`?article=${ids[10]}#article-${ids[10]}`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('works without JavaScript: the permalink renders the earlier article, the control is a plain link', async () => {
    const ctx = await app.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(UI_TIMEOUT);
    try {
      const page = await ctx.newPage();
      await page.goto(`${app.origin(f.slug)}/login`);
      await app.signIn(page, f.agent.email, f.password, /\/agent/);
      await page.goto(ticketUrl(`?article=${ids[1]}#article-${ids[1]}`));
      expect(await shownArticles(page).count()).toBe(ARTICLES - 1);
      await expect(page.locator(`article#article-${ids[1]} .subject`).textContent()).resolves.toBe('Step 2');
      await expect(page.locator('.earlier p').textContent()).resolves.toContain('1 earlier article is not shown');

      // a bare #article- link to an article that is not rendered lands on the control
      await page.goto(ticketUrl(`#article-${ids[0]}`));
      expect(await shownArticles(page).count()).toBe(25);
      expect(await page.locator(`.earlier #article-${ids[0]}`).count()).toBe(1);
      await page.click('.earlier a:has-text("Show all 55 earlier articles")');
      await page.waitForURL(/thread=all/);
      expect(await shownArticles(page).count()).toBe(ARTICLES);
      expect(await page.locator('.earlier').count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });

  it('live updates on the expanded thread: another agent\'s note appears without reload, the earlier articles stay', async () => {
    const page = await agentPage();
    await page.goto(ticketUrl('?thread=all'));
    expect(await shownArticles(page).count()).toBe(ARTICLES);
    // Bob opens the ticket too: once Alice sees him, her live stream is up
    const bob = await app.newPage();
    await bob.goto(`${app.origin(f.slug)}/login`);
    await app.signIn(bob, f.agent2.email, f.password, /\/agent/);
    await bob.goto(ticketUrl());
    await page.locator('[data-testid=live-presence]').getByText('Bob Agent is also viewing this ticket').waitFor();
    const r = await api.gql(`mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename } }`,
      { i: { ticketId: ticket.id, kind: 'NOTE', subject: 'Step live', body: 'Bob was here.' } }, f.agent2.token);
    expect(r.data.addArticle.__typename).toBe('AddArticleSuccess');
    await page.waitForFunction((n) => document.querySelectorAll('ol.articles > li article').length === n, ARTICLES + 1, { timeout: UI_TIMEOUT });
    await expect(page.locator('ol.articles > li').last().locator('.subject').textContent()).resolves.toBe('Step live');
    expect(await page.locator('ol.articles > li article').first().getAttribute('id')).toBe(`article-${ids[0]}`);
    await page.locator('[data-testid=live-notice]').getByText('Bob Agent added an internal note').waitFor();
  });
});
