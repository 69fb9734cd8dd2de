// End-to-end: the analytics page (admin: date range, dimension switch, charts + tables, CSV
// download) and "My ratings" (agent), in Chromium against the real API and rollups.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { fromGlobalOrRawId } from '@parley/api/graphql/ids.ts';
import { refreshTenantRollups } from '@parley/api/analytics/refresh-rollups.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { seriousViolations, shot, startWebApp, type WebApp } from '../support/web.ts';

describe('analytics in the web app (Chromium, real API)', () => {
  let api: TestApi;
  let fx: TenantFixture;
  let app: WebApp;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    api = await startTestApi();
    fx = await createTenantFixture(api);
    const ids: string[] = [];
    for (const [queue, title] of [['Support', 'a'], ['Support', 'b'], ['Billing', 'c']] as const) {
      ids.push((await openTicket(api, fx.customer.token, { queueId: fx.queue(queue).id, title, body: 'x' })).id);
    }
    const reply = await api.gql(`mutation($i: AddArticleInput!) { addArticle(input: $i) { ... on AddArticleSuccess { result { article { id } } } } }`,
      { i: { ticketId: ids[0], body: 'Here is the fix', timeMinutes: 30 } }, fx.agent.token);
    await api.gql(`mutation($a: ID!) { rateReply(articleId: $a, score: 5, comment: "Quick and friendly") { __typename } }`,
      { a: reply.data.addArticle.result.article.id }, fx.customer.token);
    // yesterday: created, answered after 2 h, the first one solved after 5 h
    const created = new Date(Date.now() - 30 * HOUR);
    await withTenant(api.services.db, fx.tenant.id, async (tx) => {
      const closed = await tx.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } });
      for (const [i, id] of ids.entries()) {
        await tx.ticket.update({
          where: { id: fromGlobalOrRawId(id) },
          data: { createdAt: created, firstResponseAt: new Date(created.getTime() + 2 * HOUR), ...(i === 0 ? { stateId: closed.id, closedAt: new Date(created.getTime() + 5 * HOUR) } : {}) },
        });
      }
    });
    await refreshTenantRollups(api.services, fx.tenant.id);
    app = await startWebApp(api);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await app?.shootFailure(ctx.task.name);
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('an admin opens analytics, switches the dimension and downloads a CSV; the page passes axe', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/login`);
    await app.signIn(page, fx.admin.email, fx.password, /\/agent$/);
    await page.click('nav a[href="/agent/analytics"]');
    await page.waitForURL(/\/agent\/analytics$/);
    await page.waitForSelector('h1:text("Analytics")');
    // by queue (the default): Support created 2, solved 1
    const volume = page.locator('#an-volume').locator('xpath=ancestor::section');
    await volume.locator('tbody tr').nth(1).waitFor();
    expect(await volume.locator('tbody tr').count()).toBe(2);
    expect(await volume.locator('tbody tr', { hasText: 'Support' }).locator('th, td').allTextContents()).toEqual(['Support', '2', '1', '1']);
    await page.waitForSelector('canvas[data-ready="1"]');
    await shot(page, 'analytics-queue');
    expect(await seriousViolations(page)).toEqual([]);

    // the trend: per day over the default 30 days (all three tickets on one day), per week on request
    const trend = page.locator('#an-trend').locator('xpath=ancestor::section');
    expect(await page.inputValue('#an-interval')).toBe('DAY');
    expect(await trend.locator('canvas').count()).toBe(2);
    await trend.locator('summary').click();
    const dayRows = trend.locator('table[data-series] tbody tr');
    expect(await dayRows.count()).toBe(30);
    const created = (await dayRows.locator('td:nth-of-type(1)').allTextContents()).map(Number);
    expect(created.reduce((x, y) => x + y, 0)).toBe(3);
    expect((await dayRows.last().locator('td').allTextContents()).slice(0, 3)).toEqual(['0', '0', '2']); // today: two still open
    await Promise.all([page.waitForURL(/interval=WEEK/), page.selectOption('#an-interval', 'WEEK')]);
    await page.waitForSelector('#an-trend');
    expect(await page.locator('table[data-series] tbody tr').count()).toBeLessThanOrEqual(6);
    const [seriesCsv] = await Promise.all([page.waitForEvent('download'), page.locator('#an-trend').locator('xpath=..').locator('a[data-csv]').click()]);
    const seriesLines = readFileSync((await seriesCsv.path())!, 'utf8').trim().split('\r\n');
    expect(seriesLines[0]).toMatch(/^start,created,solved,backlog,/);
    expect(seriesLines.slice(1).map((l) => Number(l.split(',')[1])).reduce((x, y) => x + y, 0)).toBe(3);
    expect(seriesLines.at(-1)!.split(',')[3]).toBe('2');
    await shot(page, 'analytics-trend-week');

    // switching the dimension submits the form (GET): by customer company
    await Promise.all([page.waitForURL(/groupBy=COMPANY/), page.selectOption('#an-group', 'COMPANY')]);
    await page.waitForSelector('#an-volume');
    const companyRows = page.locator('#an-volume').locator('xpath=ancestor::section').locator('tbody tr');
    expect(await companyRows.count()).toBe(1);
    expect((await companyRows.locator('td').allTextContents())).toEqual(['3', '1', '2']);
    const sla = await page.locator('#an-times').locator('xpath=ancestor::section').locator('tbody tr').innerText();
    expect(sla).toContain('2.3 h'); // no calendars: business = wall clock, 120 min each, bucket [120,150) → median 135
    await page.waitForSelector('canvas[data-ready="1"]');
    await shot(page, 'analytics-company');

    // the CSV of the ticket figures for this range and dimension
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#an-volume').locator('xpath=..').locator('a[data-csv]').click()]);
    expect(download.suggestedFilename()).toMatch(/^tickets-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toMatch(/^key,created,solved,backlog,/);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(new RegExp(`^${fx.customer.companyId},3,1,2,3,`));
    // and the ratings CSV: one 5-star rating by the agent
    const [ratingsCsv] = await Promise.all([page.waitForEvent('download'), page.locator('#an-ratings').locator('xpath=..').locator('a[data-csv]').click()]);
    expect(readFileSync((await ratingsCsv.path())!, 'utf8')).toContain(`${fx.agent.id},${fx.agent.name},1,5`);

    // a narrow range in the past has nothing; an inverted one is refused
    await page.goto(`${app.origin(fx.slug)}/agent/analytics?from=2020-01-01&to=2020-01-31&groupBy=QUEUE`);
    await page.waitForSelector('#an-volume');
    expect(await page.locator('#an-volume').locator('xpath=ancestor::section').innerText()).toContain('No tickets in this range.');
    await page.goto(`${app.origin(fx.slug)}/agent/analytics?from=2020-02-01&to=2020-01-01`);
    await page.waitForSelector('[role=alert]');
  });

  it('an agent sees My ratings; analytics and its CSV are refused to them', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/login`);
    await app.signIn(page, fx.agent.email, fx.password, /\/agent$/);
    expect(await page.locator('nav a[href="/agent/analytics"]').count()).toBe(0);
    await page.click('nav a[href="/agent/ratings"]');
    await page.waitForURL(/\/agent\/ratings$/);
    await page.waitForSelector('[data-summary]');
    expect(await page.locator('[data-summary]').innerText()).toContain('Ratings of your replies and tickets: 1');
    expect(await page.locator('blockquote').innerText()).toBe('Quick and friendly');
    await page.waitForSelector('canvas[data-ready="1"]');
    await shot(page, 'analytics-my-ratings');
    expect(await seriousViolations(page)).toEqual([]);
    const denied = await page.goto(`${app.origin(fx.slug)}/agent/analytics`);
    expect(denied?.status()).toBe(403);
    const csv = await page.goto(`${app.origin(fx.slug)}/agent/analytics/export/tickets.csv`);
    expect(csv?.status()).toBe(403);
    // another agent has no ratings
    const other = await app.newPage();
    await other.goto(`${app.origin(fx.slug)}/login`);
    await app.signIn(other, fx.agent2.email, fx.password, /\/agent$/);
    await other.goto(`${app.origin(fx.slug)}/agent/ratings`);
    expect(await other.locator('main').innerText()).toContain('Nobody has rated your replies yet.');
  });
});
