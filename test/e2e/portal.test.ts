// End-to-end: customer portal accounts and the guest form in Chromium against the real API —
// admin switches, sign-up → verification link from the outbox → sign-in → ticket; the guest form
// solving the proof of work in the browser (and without JavaScript); password reset for a
// customer (other sessions end) and an agent; the company filter. Screenshots + axe on each page.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { lastLinkToken } from '../support/portal.ts';
import { seriousViolations, shot, startWebApp, type WebApp } from '../support/web.ts';

describe('customer portal end to end (Chromium, real API)', () => {
  let api: TestApi;
  let fx: TenantFixture;
  let app: WebApp;
  const newEmail = `nora.${Date.now()}@example.com`;

  /** The path and query of the last mailed link to `path`, opened on the tenant's host. */
  async function mailedLink(address: string, path: string) {
    const link = await lastLinkToken(api, fx.tenant.id, address, path);
    expect(link, `a mail to ${address} with a link to ${path}`).not.toBeNull();
    const url = new URL(link!.url);
    return `${app.origin(fx.slug)}${url.pathname}${url.search}`;
  }

  async function axe(page: Page) {
    expect(await seriousViolations(page)).toEqual([]);
  }

  beforeAll(async () => {
    api = await startTestApi({ QUEUE_PREFIX: `portal-e2e-${process.pid}`, PORTAL_POW_DIFFICULTY: '15' });
    fx = await createTenantFixture(api);
    app = await startWebApp(api);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      await app?.shootFailure(ctx.task.name);
      console.error(app?.output().slice(-4000));
    }
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('an admin switches on self sign-up and the guest form', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/login`);
    await expect(page.locator('a:has-text("Forgot password?")').getAttribute('href')).resolves.toBe('/password/forgot');
    await app.signIn(page, fx.admin.email, fx.password, /\/agent/);
    await page.goto(`${app.origin(fx.slug)}/admin/portal`);
    await page.check('#ps-signup');
    await page.check('#ps-guest');
    await Promise.all([page.waitForURL(/saved=1/), page.click('button:has-text("Save")')]);
    expect(await page.isChecked('#ps-signup')).toBe(true);
    expect(await page.isChecked('#ps-guest')).toBe(true);
    await shot(page, 'portal-admin-settings');
    await axe(page);
  });

  it('a visitor signs up, cannot sign in before confirming, opens the mailed link, signs in and opens a ticket', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/portal/login`);
    await Promise.all([page.waitForURL(/\/portal\/signup/), page.click('a:has-text("Create one")')]);
    await page.fill('#su-name', 'Nora New');
    await page.fill('#su-email', newEmail);
    await page.fill('#su-password', 'nora-secret-42');
    await shot(page, 'portal-signup');
    await axe(page);
    await page.click('button:has-text("Create account")');
    await page.waitForSelector(`.notice-success:has-text("${newEmail}")`);
    await shot(page, 'portal-signup-sent');

    await page.goto(`${app.origin(fx.slug)}/portal/login`);
    await page.fill('#email', newEmail);
    await page.fill('#password', 'nora-secret-42');
    await page.click('.login-card button[type=submit]');
    await page.waitForSelector('.notice-error:has-text("Confirm your email address first")');
    await expect(page.locator('a:has-text("Send it again")').getAttribute('href')).resolves.toContain('/portal/resend?email=');
    await shot(page, 'portal-login-unverified');

    await page.goto(await mailedLink(newEmail, '/portal/verify'));
    await page.waitForURL(/\/portal\/verify\?token=/);
    await shot(page, 'portal-verify');
    await axe(page);
    await page.click('button:has-text("Confirm my email address")');
    await page.waitForSelector('.notice-success:has-text("is confirmed")');
    await Promise.all([page.waitForURL(/\/portal\/login/), page.click('a.btn:has-text("Sign in")')]);
    await app.signIn(page, newEmail, 'nora-secret-42', /\/portal$/);

    await page.goto(`${app.origin(fx.slug)}/portal/new`);
    await page.selectOption('#p-queue', { label: 'Support' });
    await page.fill('#p-title', 'My first request');
    await page.fill('#p-body', 'Hello from a fresh account.');
    await Promise.all([page.waitForURL(/\/portal\/tickets\/[^/?]+\?created=1/), page.click('button[type=submit]:has-text("Send")')]);
    await page.goto(`${app.origin(fx.slug)}/portal`);
    await page.waitForSelector('.ticket-link:has-text("My first request")');
    await shot(page, 'portal-new-account-tickets');
  });

  it('a guest opens a ticket: the browser solves the proof of work; the honeypot stays empty', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/portal/guest`);
    const started = Date.now();
    await page.waitForSelector('[data-pow=done]', { timeout: 60_000 });
    const solveMs = Date.now() - started;
    console.log(`guest form proof of work (15 bits) solved in Chromium in ~${solveMs} ms`);
    const guest = `gary.${Date.now()}@example.com`;
    await page.fill('#g-name', 'Gary Guest');
    await page.fill('#g-email', guest);
    await page.selectOption('#g-queue', { label: 'Billing' });
    await page.fill('#g-subject', 'Invoice question');
    await page.fill('#g-message', 'Why two invoices this month?');
    expect(await page.inputValue('#g-website')).toBe('');
    await shot(page, 'portal-guest-form');
    await axe(page);
    await page.click('button:has-text("Send request")');
    const notice = await page.waitForSelector('.notice-success:has-text("was received")');
    const number = (await notice.textContent())!.match(/request (\S+) was received/)![1];
    await shot(page, 'portal-guest-sent');

    const ticket = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticket.findFirstOrThrow({ where: { number }, include: { customerUser: true, queue: true } }));
    expect(ticket).toMatchObject({ submittedAsGuest: true, channel: 'PORTAL', queue: { name: 'Billing' }, customerUser: { email: guest, name: 'Gary Guest' } });
    const receipt = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.outgoingMail.findFirst({ where: { ticketId: ticket.id, kind: 'AUTO_RESPONSE' } }));
    expect(receipt?.recipients).toEqual([guest]);
  });

  it('without JavaScript the guest form says it needs it, and a submission is refused', async () => {
    const ctx = await app.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(`${app.origin(fx.slug)}/portal/guest`);
      await page.waitForSelector('.notice-error:has-text("needs JavaScript")');
      const before = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticket.count());
      await page.fill('#g-name', 'No Script');
      await page.fill('#g-email', `noscript.${Date.now()}@example.com`);
      await page.fill('#g-subject', 'Hello');
      await page.fill('#g-message', 'Plain HTML form');
      await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Send request")')]);
      await page.waitForSelector('[role=alert]:has-text("needs JavaScript")');
      // nothing typed is lost: the server render puts the posted values back, the <textarea> too
      expect(await page.inputValue('#g-subject')).toBe('Hello');
      expect(await page.inputValue('#g-message')).toBe('Plain HTML form');
      await shot(page, 'portal-guest-noscript');
      expect(await withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticket.count())).toBe(before);
    } finally {
      await ctx.close();
    }
  });

  it('a customer resets the password: the link works once and the other sessions end', async () => {
    const other = await app.newPage();
    await other.goto(`${app.origin(fx.slug)}/portal/login`);
    await app.signIn(other, fx.stranger.email, fx.password, /\/portal$/);

    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/portal/login`);
    await Promise.all([page.waitForURL(/\/portal\/forgot/), page.click('a:has-text("Forgot password?")')]);
    await page.fill('#acct-email', fx.stranger.email);
    await shot(page, 'portal-forgot');
    await axe(page);
    await page.click('button:has-text("Send reset link")');
    await page.waitForSelector('.notice-success:has-text("is on its way")');

    const link = await mailedLink(fx.stranger.email, '/portal/reset');
    await page.goto(link);
    await page.waitForURL(/\/portal\/reset\?token=/);
    await page.fill('#reset-password', 'stranger-new-pass');
    await page.fill('#reset-confirm', 'stranger-other');
    await page.click('button:has-text("Set password")');
    await page.waitForSelector('[role=alert]:has-text("differ")');
    await page.fill('#reset-password', 'stranger-new-pass');
    await page.fill('#reset-confirm', 'stranger-new-pass');
    await shot(page, 'portal-reset');
    await axe(page);
    await page.click('button:has-text("Set password")');
    await page.waitForSelector('.notice-success:has-text("signed out everywhere")');

    await other.reload();
    await other.waitForURL(/\/portal\/login/);
    await Promise.all([page.waitForURL(/\/portal\/login/), page.click('a.btn:has-text("Sign in")')]);
    await app.signIn(page, fx.stranger.email, 'stranger-new-pass', /\/portal$/);

    const again = await app.newPage();
    await again.goto(link);
    await again.fill('#reset-password', 'third-password-x');
    await again.fill('#reset-confirm', 'third-password-x');
    await again.click('button:has-text("Set password")');
    await again.waitForSelector('[role=alert]:has-text("used already")');
  });

  it('an agent resets the password from the staff sign-in', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/login`);
    await Promise.all([page.waitForURL(/\/password\/forgot/), page.click('a:has-text("Forgot password?")')]);
    await page.fill('#acct-email', fx.agent2.email);
    await page.click('button:has-text("Send reset link")');
    await page.waitForSelector('.notice-success');
    await page.goto(await mailedLink(fx.agent2.email, '/password/reset'));
    await page.fill('#reset-password', 'agent-two-new-pw');
    await page.fill('#reset-confirm', 'agent-two-new-pw');
    await page.click('button:has-text("Set password")');
    await page.waitForSelector('.notice-success');
    await shot(page, 'staff-reset-done');
    await axe(page);
    await Promise.all([page.waitForURL(/\/login/), page.click('a.btn:has-text("Sign in")')]);
    await app.signIn(page, fx.agent2.email, 'agent-two-new-pw', /\/agent/);
  });

  it('the account pages follow the browser language (German guest form)', async () => {
    const page = await app.newPage({ locale: 'de-DE' });
    await page.goto(`${app.origin(fx.slug)}/portal/guest`);
    await page.waitForSelector('h1:has-text("Anfrage senden")');
    await page.waitForSelector('[data-pow=done]', { timeout: 60_000 });
    await expect(page.locator('.pow').textContent()).resolves.toContain('Anti-Spam-Prüfung abgeschlossen');
    await shot(page, 'portal-guest-de');
    await axe(page);
  });

  it("a customer with company access filters between own and the company's tickets", async () => {
    const mine = await openTicket(api, fx.colleague.token, { queueId: fx.queue('Support').id, title: 'Colin own ticket', body: 'x' });
    const carols = await openTicket(api, fx.customer.token, { queueId: fx.queue('Support').id, title: 'Carol company ticket', body: 'y' });
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/portal/login`);
    await app.signIn(page, fx.colleague.email, fx.password, /\/portal$/);
    await page.waitForSelector(`.ticket-link:has-text("${carols.title}")`);
    await expect(page.locator(`.ticket-link:has-text("${carols.title}")`).textContent()).resolves.toContain('opened by Carol Customer');
    await shot(page, 'portal-company-tickets');
    await axe(page);
    await Promise.all([page.waitForURL(/show=mine/), page.click('.filter a:has-text("My tickets")')]);
    await page.waitForSelector(`.ticket-link:has-text("${mine.title}")`);
    expect(await page.locator(`.ticket-link:has-text("${carols.title}")`).count()).toBe(0);
  });
});
