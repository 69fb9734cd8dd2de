// End-to-end: the built web app (test/support/web.ts runs node web/build/index.js as a child
// process) in Debian's Chromium (playwright-core) against the REAL API (in this process), its
// database and Redis. Screenshots go to test/artifacts/ (gitignored). axe-core checks the main screens.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_TOKEN, startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, uniqueSlug, type TenantFixture } from '../support/factories.ts';
import { seriousViolations, shot, startWebApp, type WebApp } from '../support/web.ts';
import { withTenant } from '@parley/db';
import { createRatingLink } from '@parley/api/ratings/rating-links.ts';
import { fromGlobalOrRawId } from '@parley/api/graphql/ids.ts';

describe('web app end to end (Chromium, real API)', () => {
  let api: TestApi;
  let fx: TenantFixture;
  let app: WebApp;
  let port = 0;
  const ticketTitle = `Printer on fire ${uniqueSlug('x')}`;
  let ticketNumber = '';

  const origin = (slug?: string) => app.origin(slug);
  const newPage = () => app.newPage();
  const signIn = (page: Page, email: string, password: string, landing: RegExp) => app.signIn(page, email, password, landing);

  beforeAll(async () => {
    api = await startTestApi();
    fx = await createTenantFixture(api);
    app = await startWebApp(api);
    port = app.port;
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await app?.shootFailure(ctx.task.name);
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('sign-in form without a tenant: email typed before the workspace is kept; the page passes axe', async () => {
    const page = await newPage();
    await page.goto(`http://127.0.0.1:${port}/login`);
    await page.waitForSelector('#tenant');
    await shot(page, 'login');
    expect(await seriousViolations(page)).toEqual([]);
    // Type before the app hydrates (its JavaScript is held back), as a quick user on a slow line does;
    // hydration must keep what was typed (it used to clear the email).
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => { await held; await route.continue(); });
    await page.reload({ waitUntil: 'commit' });
    await page.waitForSelector('#tenant');
    await page.fill('#email', fx.agent.email);
    await page.fill('#tenant', fx.slug);
    await page.fill('#password', fx.password);
    release();
    await page.waitForLoadState('networkidle');
    expect(await page.inputValue('#email')).toBe(fx.agent.email);
    expect(await page.inputValue('#tenant')).toBe(fx.slug);
    await Promise.all([page.waitForURL(/\/agent/), page.click('.login-card button[type=submit]')]);
    await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
  });

  it('a customer opens a ticket in a portal queue', async () => {
    const page = await newPage();
    await page.goto(`${origin(fx.slug)}/portal/new`);
    await page.waitForURL(/\/portal\/login/);
    await signIn(page, fx.customer.email, fx.password, /\/portal\/new/);
    await page.selectOption('#p-queue', { label: 'Support' });
    await page.fill('#p-title', ticketTitle);
    await page.fill('#p-body', 'It smells of smoke. Please help.');
    await Promise.all([page.waitForURL(/\/portal\/tickets\/[^/?]+\?created=1/), page.click('button[type=submit]:has-text("Send")')]);
    await page.waitForSelector('.notice-success');
    ticketNumber = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    expect(ticketNumber).toBeTruthy();
    await shot(page, 'portal-ticket-created');
  });

  it('an agent opens it from the queue view, locks it, replies with a template and closes it; a second agent sees it live, without reload', async () => {
    const page = await newPage();
    await page.goto(`${origin(fx.slug)}/agent`);
    await page.waitForURL(/\/login/);
    await shot(page, 'agent-login');
    await signIn(page, fx.agent.email, fx.password, /\/agent$/);
    await page.waitForSelector('table tbody th a:has-text("Support")');
    await shot(page, 'queue-overview');
    expect(await seriousViolations(page)).toEqual([]);

    await Promise.all([page.waitForURL(/\/agent\/tickets\?queue=/), page.click('table tbody th a:has-text("Support")')]);
    const link = page.locator('td.c-title a', { hasText: ticketTitle });
    await link.waitFor();
    await shot(page, 'queue-tickets');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/agent\/tickets\/[^/?]+$/), link.click()]);
    await expect(page.locator('h1').textContent()).resolves.toContain(ticketTitle);

    // The second agent has the ticket open before the changes.
    const other = await newPage();
    await other.goto(`${origin(fx.slug)}/login`);
    await signIn(other, fx.agent2.email, fx.password, /\/agent$/);
    await other.goto(page.url());
    await other.waitForSelector('.articles > li');
    const otherBefore = await other.locator('.articles > li').count();

    // Lock
    const lockText = (await page.locator('.lockbox').textContent()) ?? '';
    await page.click('.lockbox button');
    await page.waitForFunction((before) => document.querySelector('.lockbox')?.textContent !== before, lockText);
    expect(await page.locator('.lockbox').textContent()).toMatch(/locked by you/i);

    // Reply with the standard template
    const before = await page.locator('.articles > li').count();
    await page.click('label:has(input[name=kind][value=REPLY])');
    await page.selectOption('#c-template', { label: 'Thank you' });
    await page.click('button:has-text("Insert")');
    await page.waitForFunction(() => ((document.querySelector('#c-body') as HTMLTextAreaElement | null)?.value ?? '').includes('Thank you for your message'));
    await page.click('.composer button.btn-primary');
    await page.waitForFunction((n) => document.querySelectorAll('.articles > li').length === n + 1, before);

    // Change the state
    const closedId = await page.locator('#p-state option', { hasText: 'closed successful' }).getAttribute('value');
    await page.selectOption('#p-state', closedId!);
    await page.click('form[action="?/properties"] button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.meta .badge[title="closed successful"]') !== null);
    await shot(page, 'ticket-agent');
    expect(await seriousViolations(page)).toEqual([]);

    // The second agent sees the reply and the state without reloading (live updates: test/e2e/live.test.ts)
    await other.waitForFunction((n) => document.querySelectorAll('.articles > li').length === n + 1, otherBefore);
    await other.waitForFunction(() => document.querySelector('.meta .badge[title="closed successful"]') !== null);
    expect(await other.locator('.articles > li').count()).toBe(otherBefore + 1);
    expect(await other.locator('.articles').textContent()).toContain('Thank you for your message');
    expect(await other.locator('.meta .badge').first().getAttribute('title')).toBe('closed successful');
    await shot(other, 'ticket-second-agent');
  });

  it("the customer sees the agent's reply in the portal", async () => {
    const page = await newPage();
    await page.goto(`${origin(fx.slug)}/portal/login`);
    await signIn(page, fx.customer.email, fx.password, /\/portal$/);
    const link = page.locator('a.ticket-link', { hasText: ticketTitle });
    await link.waitFor();
    await Promise.all([page.waitForURL(/\/portal\/tickets\//), link.click()]);
    await page.waitForSelector('.thread > li');
    expect(await page.locator('.thread').textContent()).toContain('Thank you for your message');

    // Rate the agent's reply (rateReply); the rating shows after the round trip.
    const rating = page.locator('.thread form.rating').first();
    expect(await rating.locator('.rating-label').textContent()).toContain('Rate this reply');
    await rating.locator('button[value="4"]').click();
    await page.waitForFunction(() => document.querySelector('.thread form.rating .rating-label')?.textContent?.includes('Your rating: 4 of 5'));
    expect(await rating.locator('button[value="4"]').getAttribute('aria-pressed')).toBe('true');
    // The agent closed the ticket: it can be rated as a whole (rateTicket).
    await page.fill('#rate-t-comment', 'Fire is out');
    await page.click('.ticket-rating button[value="5"]');
    await page.waitForSelector('.ticket-rating .notice-success');
    await page.waitForFunction(() => document.querySelector('.ticket-rating p')?.textContent?.includes('Your rating: 5 of 5'));
    await page.reload();
    expect(await page.locator('.thread form.rating .rating-label').first().textContent()).toContain('Your rating: 4 of 5');
    expect(await page.inputValue('#rate-t-comment')).toBe('Fire is out');
    await shot(page, 'portal-ticket');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the one-click rating link from a reply mail: GET only asks, POST records once, reused and bad links are told apart', async () => {
    const t = await openTicket(api, fx.customer.token, { queueId: fx.queue('Support').id, title: 'Rate me by mail', body: 'x' });
    const r = await api.gql(`mutation($i: AddArticleInput!) { addArticle(input: $i) { __typename ... on AddArticleSuccess { result { article { id } } } } }`,
      { i: { ticketId: t.id, body: 'Here is the answer' } }, fx.agent.token);
    const articleId = fromGlobalOrRawId(r.data.addArticle.result.article.id);
    const link = await withTenant(api.services.db, fx.tenant.id, (tx) => createRatingLink(tx, articleId, { baseUrl: origin(fx.slug) }));
    const spent = async () => (await api.services.systemDb.ratingToken.findMany({ where: { articleId } })).filter((x) => x.usedAt !== null).length;

    // A fresh browser, no session (as from a mail client); the tenant host is what PUBLIC_WEB_URL names.
    const page = await newPage();
    await page.goto(link.scoreUrls.find((s) => s.score === 2)!.url);
    await page.waitForSelector('h1:has-text("Rate our reply")');
    expect(page.url()).toContain('/rate/');
    expect(await page.isChecked('input[name=score][value="2"]')).toBe(true);
    expect(await page.locator('input[name=score]').count()).toBe(5);
    await shot(page, 'rate-link');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await spent()).toBe(0); // the GET (a mail scanner's pre-fetch) does not spend the token

    await page.click('label.score:has(input[value="3"])');
    await page.fill('#rate-comment', 'ok-ish');
    await page.click('button[type=submit]:has-text("Send rating")');
    await page.waitForSelector('.notice-success');
    expect(await page.locator('.notice-success').textContent()).toContain('Your rating was recorded');
    expect(await spent()).toBe(1);
    const stored = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.rating.findFirst({ where: { articleId } }));
    expect(stored).toMatchObject({ score: 3, comment: 'ok-ish', via: 'MAIL_LINK' });

    await page.goto(link.url);
    expect(await page.locator('.notice-error').textContent()).toContain('was used already');
    expect(await page.locator('form input[name=score]').count()).toBe(0);
    await page.goto(`${origin(fx.slug)}/rate/rt_nonsense?score=5`);
    expect(await page.locator('.notice-error').textContent()).toContain('not valid');
    const old = await withTenant(api.services.db, fx.tenant.id, (tx) => createRatingLink(tx, articleId, { baseUrl: origin(fx.slug), now: new Date(Date.now() - 40 * 86_400_000) }));
    await page.goto(old.url);
    expect(await page.locator('.notice-error').textContent()).toContain('has expired');
  });

  it('ticket view: sanitized HTML body stays inside its box, custom fields are edited, merge and unmerge', async () => {
    const queueId = fx.queue('Support').id;
    const a = await openTicket(api, fx.customer.token, { queueId, title: 'HTML mail ticket', body: 'plain fallback' });
    const b = await openTicket(api, fx.customer.token, { queueId, title: 'Merge target ticket', body: 'target body' });
    const html = '<p>Hello <b id="bold">bold</b> world</p><table><tr><td style="width:4000px">a very wide cell</td></tr></table><img src="https://example.invalid/x.png" alt="" width="5000">';
    await withTenant(api.services.db, fx.tenant.id, (tx) => tx.article.updateMany({ where: { ticketId: Buffer.from(a.id, 'base64').toString().split(':')[1] }, data: { bodyHtml: html } }));
    const field = await api.gql(`mutation($input: SaveCustomFieldInput!) { saveCustomField(input: $input) { __typename } }`, {
      input: { key: 'product', label: 'Product', type: 'DROPDOWN', options: ['Printer', 'Scanner'] },
    }, fx.admin.token);
    expect(field.data?.saveCustomField.__typename).toBe('SaveCustomFieldSuccess');

    const page = await newPage();
    await page.goto(`${origin(fx.slug)}/login`);
    await signIn(page, fx.agent.email, fx.password, /\/agent$/);
    await page.goto(`${origin(fx.slug)}/agent/tickets/${encodeURIComponent(a.number)}`);
    await page.waitForSelector('.body-html #bold');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'ticket-html-body');

    await page.selectOption('#cf-product', 'Scanner');
    await page.click('.cf-form button[type=submit]');
    await page.waitForSelector('.notice-success');
    await page.reload();
    expect(await page.inputValue('#cf-product')).toBe('Scanner');

    await page.fill('#m-target', b.number);
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith(`/agent/tickets/${encodeURIComponent(b.number)}`)), page.click('.merge-form button[type=submit]')]);
    await page.waitForSelector('.articles > li');
    expect(await page.locator('.articles').textContent()).toContain('bold');
    await page.goto(`${origin(fx.slug)}/agent/tickets/${encodeURIComponent(a.number)}`);
    await page.waitForSelector('button:has-text("Undo merge")');
    await page.click('button:has-text("Undo merge")');
    await page.waitForSelector('#m-target');
    await shot(page, 'ticket-unmerged');
  });

  it("the provider onboards a tenant and that tenant's admin signs in", async () => {
    const slug = uniqueSlug('e2e');
    const page = await newPage();
    await page.goto(`${origin()}/provider/login`);
    await page.fill('input[name=token]', PROVIDER_TOKEN);
    await Promise.all([page.waitForURL(/\/provider$/), page.click('form.box button')]);
    await page.fill('#o-slug', slug);
    await page.fill('#o-name', 'E2E Corp');
    await page.fill('#o-email', `boss@${slug}.test`);
    await page.fill('#o-pw', 'longpassword1');
    await page.click('button:has-text("Onboard a tenant")');
    await page.waitForSelector('.notice-success');
    await shot(page, 'provider');

    const admin = await newPage();
    await admin.goto(`${origin(slug)}/login`);
    await signIn(admin, `boss@${slug}.test`, 'longpassword1', /\/agent$/);
    await admin.goto(`${origin(slug)}/admin`);
    await admin.waitForSelector('h1');
    expect(admin.url()).toContain('/admin');
    await shot(admin, 'onboarded-admin');

    // Admin pages: a queue with a prefix, a conflict shown, the permission matrix, an API key.
    await admin.goto(`${origin(slug)}/admin/queues`);
    await admin.fill('#q-name', 'Escalations');
    await admin.fill('#q-prefix', 'ESC');
    await admin.fill('#q-unlock', '45');
    await admin.check('input[name=openToCustomers]');
    await Promise.all([admin.waitForURL(/saved=1/), admin.click('#queue-form button[type=submit]')]);
    const row = admin.locator('tbody tr', { hasText: 'Escalations' });
    await row.waitFor();
    expect(await row.textContent()).toContain('ESC');
    await admin.fill('#q-name', 'Support');
    await admin.click('#queue-form button[type=submit]');
    await admin.waitForSelector('#queue-form .notice-error');
    await shot(admin, 'admin-queues');
    expect(await seriousViolations(admin)).toEqual([]);

    await admin.goto(`${origin(slug)}/admin/roles`);
    const agentsRole = admin.locator('section.role', { has: admin.locator('h2', { hasText: 'Agents' }) });
    const box = agentsRole.locator('tr', { hasText: 'Escalations' }).locator('input[value$=":NOTE"]');
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await Promise.all([admin.waitForURL(/saved=1/), agentsRole.locator('button[type=submit]').click()]);
    expect(await admin.locator('section.role', { has: admin.locator('h2', { hasText: 'Agents' }) }).locator('tr', { hasText: 'Escalations' }).locator('input[value$=":NOTE"]').isChecked()).toBe(true);
    await shot(admin, 'admin-roles');
    expect(await seriousViolations(admin)).toEqual([]);

    await admin.goto(`${origin(slug)}/admin/api-keys`);
    await admin.fill('#k-name', 'CI robot');
    await admin.click('form[action="?/create"] button[type=submit]');
    await admin.waitForSelector('#k-secret');
    expect((await admin.inputValue('#k-secret')).length).toBeGreaterThan(20);
    await shot(admin, 'admin-api-keys');

    await admin.goto(`${origin(slug)}/admin/custom-fields`);
    await admin.fill('#f-label', 'Product');
    await admin.fill('#f-key', 'product');
    await admin.selectOption('#f-type', 'DROPDOWN');
    await admin.fill('#f-options', 'Printer\nScanner');
    await Promise.all([admin.waitForURL(/saved=1/), admin.click('#field-form button[type=submit]')]);
    expect(await admin.locator('tbody').textContent()).toContain('Printer, Scanner');
    await shot(admin, 'admin-custom-fields');
  });
});
