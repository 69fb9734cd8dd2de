// End-to-end: the agent workspace in Chromium against the real API — bulk actions (with and
// without JavaScript), unread marks (agent list and portal), the customer panel with its filtered
// list, linking and watching, and the language saved on the user.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { seriousViolations, shot, startWebApp, UI_TIMEOUT, type WebApp } from '../support/web.ts';

describe('agent workspace (Chromium, real API)', () => {
  let api: TestApi;
  let f: TenantFixture;
  let app: WebApp;
  let tickets: { id: string; number: string; title: string }[] = [];

  const hydrated = (page: Page) => page.waitForSelector('html[data-hydrated="1"]');
  const row = (page: Page, number: string) => page.locator('tr', { has: page.locator(`td.c-num:text-is("${number}")`) });

  beforeAll(async () => {
    api = await startTestApi();
    f = await createTenantFixture(api);
    const queueId = f.queue('Support').id;
    tickets = [];
    for (const title of ['Bulk one', 'Bulk two', 'Bulk locked', 'Bulk closed A', 'Bulk closed B']) {
      tickets.push(await openTicket(api, f.customer.token, { queueId, title, body: `About ${title}` }));
    }
    const lock = await api.gql(`mutation($input: LockTicketInput!) { lockTicket(input: $input) { __typename } }`, { input: { ticketId: tickets[2].id } }, f.agent2.token);
    expect(lock.data.lockTicket.__typename).toBe('LockTicketSuccess');
    app = await startWebApp(api);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await app?.shootFailure(ctx.task.name);
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('bulk-changes the checked tickets; the one locked by another agent is reported, the others change', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(f.slug)}/login`);
    await app.signIn(page, f.agent.email, f.password, /\/agent/);
    await page.goto(`${app.origin(f.slug)}/agent/tickets?state=open`);
    await hydrated(page);
    // never opened: every ticket is unread (bold, dot, and a text for screen readers)
    expect(await page.locator('tr.unread').count()).toBeGreaterThanOrEqual(5);
    await expect(page.locator('tr.unread .visually-hidden', { hasText: 'New activity' }).first().textContent()).resolves.toContain('New activity');
    expect(await seriousViolations(page)).toEqual([]);

    // keyboard: j moves to the first row, x checks it
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    expect(await page.locator('input[name=ids]:checked').count()).toBe(1);
    await page.keyboard.press('x');
    expect(await page.locator('input[name=ids]:checked').count()).toBe(0);

    for (const t of tickets.slice(0, 3)) await row(page, t.number).locator('input[name=ids]').check();
    await expect(page.locator('.bulk .count').textContent()).resolves.toContain('3 selected');
    await page.selectOption('#b-owner', { label: 'Alice Agent' });
    const high = await page.locator('#b-prio option').evaluateAll((opts) => (opts as HTMLOptionElement[]).filter((o) => o.value).at(-1)!.label);
    await page.selectOption('#b-prio', { label: high });
    await page.click('.bulk button:has-text("Apply to selected")');
    await page.waitForSelector('.bulk .notice-success');
    await expect(page.locator('.bulk .notice-success').textContent()).resolves.toContain('2 tickets updated');
    const warning = await page.locator('.bulk .notice-warning').textContent();
    expect(warning).toContain('1 ticket was not changed');
    expect(warning).toContain(`#${tickets[2].number}`);
    expect(warning).toContain('locked by Bob Agent');
    await shot(page, 'workspace-bulk-result');
    expect(await seriousViolations(page)).toEqual([]);
    for (const t of tickets.slice(0, 2)) await expect(row(page, t.number).locator('.c-owner').textContent()).resolves.toBe('Alice Agent');
    await expect(row(page, tickets[2].number).locator('.c-owner').textContent()).resolves.toBe('Bob Agent');
  });

  it('works without JavaScript: "select all on this page" with Close selected is a plain form post', async () => {
    const ctx = await app.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(UI_TIMEOUT);
    try {
      const page = await ctx.newPage();
      await page.goto(`${app.origin(f.slug)}/login`);
      await app.signIn(page, f.agent.email, f.password, /\/agent/);
      // only the two tickets meant to be closed are on this page
      await page.goto(`${app.origin(f.slug)}/agent/tickets?state=open&q=${encodeURIComponent('Bulk closed')}`);
      expect(await page.locator('tbody tr').count()).toBe(2);
      await page.check('input[name=all]');
      await Promise.all([page.waitForLoadState('load'), page.click('.bulk button:has-text("Close selected")')]);
      await page.waitForSelector('.bulk .notice-success');
      await expect(page.locator('.bulk .notice-success').textContent()).resolves.toContain('2 tickets updated');
      await shot(page, 'workspace-bulk-nojs');
    } finally {
      await ctx.close();
    }
    const states = await api.gql(`query($n: String!, $m: String!) { a: ticket(number: $n) { state { type } } b: ticket(number: $m) { state { type } } }`, { n: tickets[3].number, m: tickets[4].number }, f.agent.token);
    expect([states.data.a.state.type, states.data.b.state.type]).toEqual(['CLOSED', 'CLOSED']);
  });

  it('the ticket view shows the customer\'s other tickets, links a ticket, watches it, and is read afterwards', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(f.slug)}/login`);
    await app.signIn(page, f.agent.email, f.password, /\/agent/);
    await page.goto(`${app.origin(f.slug)}/agent/tickets/${tickets[0].number}`);
    await hydrated(page);
    const panel = page.locator('section[aria-labelledby=cust-h]');
    await expect(panel.locator('h3').first().textContent()).resolves.toContain('Other tickets of Carol Customer');
    const others = await panel.locator('.others').first().locator('li').allTextContents();
    expect(others.length).toBe(4);
    expect(others.join(' ')).not.toContain(tickets[0].title);
    expect(others.join(' ')).toContain(tickets[1].title);

    // link to ticket two
    await page.fill('#l-number', tickets[1].number);
    await page.click('.link-form button[type=submit]');
    await page.waitForSelector(`section[aria-labelledby=links-h] a[href="/agent/tickets/${tickets[1].number}"]`);
    // watch, then the button offers to stop
    await page.click('button.watch');
    await page.waitForSelector('button.watch[aria-pressed="true"]');
    await expect(page.locator('button.watch').textContent()).resolves.toContain('Stop watching');
    await shot(page, 'workspace-ticket-view');
    expect(await seriousViolations(page)).toEqual([]);
    const watched = await api.gql(`query($n: String!) { ticket(number: $n) { watched links { target { number } } } }`, { n: tickets[0].number }, f.agent.token);
    expect(watched.data.ticket.watched).toBe(true);
    expect(watched.data.ticket.links.map((l: { target: { number: string } }) => l.target.number)).toContain(tickets[1].number);

    // the panel's "all tickets" link opens the list filtered to the customer
    await Promise.all([page.waitForURL(/customer=/), panel.locator('a.all').first().click()]);
    await hydrated(page);
    await expect(page.locator('.scope .chip').textContent()).resolves.toContain('Customer: Carol Customer');
    expect(await page.locator('tbody tr').count()).toBe(5);
    // the ticket just opened is read now; ticket two changed by the link (history) after it was never opened
    expect(await row(page, tickets[0].number).getAttribute('class')).not.toContain('unread');
    expect(await row(page, tickets[1].number).getAttribute('class')).toContain('unread');
    await shot(page, 'workspace-customer-filter');
  });

  it('the portal list marks tickets with news for the customer until they open them', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(f.slug)}/portal/login`);
    await app.signIn(page, f.customer.email, f.password, /\/portal$/);
    await page.goto(`${app.origin(f.slug)}/portal/tickets/${tickets[1].number}`);
    await page.goto(`${app.origin(f.slug)}/portal`);
    await hydrated(page);
    const link = (n: string) => page.locator(`a.ticket-link[href="/portal/tickets/${n}"]`);
    expect(await link(tickets[1].number).getAttribute('class')).not.toContain('unread');
    expect(await link(tickets[0].number).getAttribute('class')).toContain('unread');
    await expect(link(tickets[0].number).locator('.visually-hidden').textContent()).resolves.toContain('New activity');
    await shot(page, 'workspace-portal-unread');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the language chosen in the switcher is saved on the agent and applied at the next sign-in', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(f.slug)}/login`);
    await app.signIn(page, f.agent2.email, f.password, /\/agent/);
    await hydrated(page);
    await Promise.all([page.waitForURL(/\/agent/), page.selectOption('#locale-select', 'de')]);
    await page.waitForSelector('html[lang=de]');
    const me = await api.gql(`{ me { locale savedLocale } }`, {}, f.agent2.token);
    expect(me.data.me.savedLocale).toBe('de');

    // a fresh browser (no cookie, English Accept-Language) gets German after signing in
    const fresh = await app.newPage({ locale: 'en-US' });
    await fresh.goto(`${app.origin(f.slug)}/login`);
    expect(await fresh.getAttribute('html', 'lang')).toBe('en');
    await app.signIn(fresh, f.agent2.email, f.password, /\/agent/);
    await fresh.waitForSelector('html[lang=de]');
    await expect(fresh.locator('h1').first().textContent()).resolves.not.toBe('');
    await shot(fresh, 'workspace-locale-de');
  });
});
