// End-to-end: attachments through the built web app (Chromium) against the real API: a customer
// opens a ticket with a file, the agent downloads it and replies with a file (plus an internal note
// with one), the customer downloads the reply's file but never sees the note's; forms work without
// JavaScript; an oversized file gets a clear message. Screenshots in test/artifacts/, axe checked.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, uniqueSlug, type TenantFixture } from '../support/factories.ts';
import { seriousViolations, shot, startWebApp, type WebApp } from '../support/web.ts';
import { PNG } from '../support/attachments.ts';
import { withTenant } from '@parley/db';

describe('attachments end to end (Chromium, real API)', () => {
  let api: TestApi;
  let fx: TenantFixture;
  let app: WebApp;
  const title = `Scanner jams ${uniqueSlug('x')}`;
  let ticketPath = '';
  let agentUrl = '';
  const MAX_FILE = 100_000;

  beforeAll(async () => {
    api = await startTestApi({ ATTACHMENT_MAX_FILE_BYTES: String(MAX_FILE) });
    fx = await createTenantFixture(api);
    app = await startWebApp(api);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await app?.shootFailure(ctx.task.name);
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  async function downloadOf(page: Page, linkText: string) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`.attachments a:has-text("${linkText}")`)]);
    return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
  }

  it('a customer opens a ticket with an attachment in the portal', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/portal/new`);
    await page.waitForURL(/\/portal\/login/);
    await app.signIn(page, fx.customer.email, fx.password, /\/portal\/new/);
    await page.selectOption('#p-queue', { label: 'Support' });
    await page.fill('#p-title', title);
    await page.fill('#p-body', 'The scanner jams on every page; photo attached.');
    await page.setInputFiles('#p-files', { name: 'jam.png', mimeType: 'image/png', buffer: PNG });
    await shot(page, 'attachments-portal-new');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/portal\/tickets\/[^/?]+\?created=1/), page.click('button[type=submit]:has-text("Send")')]);
    ticketPath = new URL(page.url()).pathname;
    const link = page.locator('.attachments a', { hasText: 'jam.png' });
    await link.waitFor();
    expect(await link.getAttribute('aria-label')).toMatch(/^Download jam\.png \(\d+ byte/);
    await shot(page, 'attachments-portal-created');
  });

  it('the agent downloads it, replies with a file and adds an internal note with another', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/login`);
    await app.signIn(page, fx.agent.email, fx.password, /\/agent$/);
    agentUrl = `${app.origin(fx.slug)}/agent/tickets/${ticketPath.split('/').at(-1)}`;
    await page.goto(agentUrl);
    const got = await downloadOf(page, 'jam.png');
    expect(got.name).toBe('jam.png');
    expect(got.bytes.equals(PNG)).toBe(true);

    const before = await page.locator('.articles > li').count();
    await page.click('label:has(input[name=kind][value=REPLY])');
    await page.fill('#c-body', 'Please try the attached driver settings.');
    await page.setInputFiles('#c-files', { name: 'driver-settings.txt', mimeType: 'text/plain', buffer: Buffer.from('dpi=300\nduplex=off\n') });
    await page.click('.composer button.btn-primary');
    await page.waitForFunction((n) => document.querySelectorAll('.articles > li').length === n + 1, before);
    await page.locator('.attachments a', { hasText: 'driver-settings.txt' }).waitFor();
    // the selection was cleared with the text
    expect(await page.locator('#c-files').evaluate((el) => (el as HTMLInputElement).files?.length)).toBe(0);

    await page.click('label:has(input[name=kind][value=NOTE])');
    await page.fill('#c-body', 'Internal: serial number list attached.');
    await page.setInputFiles('#c-files', { name: 'serials-internal.csv', mimeType: 'text/csv', buffer: Buffer.from('sn\nA1\nB2\n') });
    await page.click('.composer button.btn-primary');
    await page.locator('.attachments a', { hasText: 'serials-internal.csv' }).waitFor();
    await shot(page, 'attachments-agent-ticket');
    expect(await seriousViolations(page)).toEqual([]);
    const note = await downloadOf(page, 'serials-internal.csv');
    expect(note.bytes.toString()).toBe('sn\nA1\nB2\n');

    // the reply mail in the outbox carries the file
    const mails = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.outgoingMail.findMany({ where: { kind: 'AGENT_REPLY' }, select: { raw: true } }));
    expect(mails.some((m) => Buffer.from(m.raw).toString().includes('driver-settings.txt'))).toBe(true);
  });

  it('the customer downloads the reply\'s file in the portal and never sees the internal note\'s', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}${ticketPath}`);
    await page.waitForURL(/\/portal\/login/);
    await app.signIn(page, fx.customer.email, fx.password, /\/portal\/tickets\//);
    await page.locator('.attachments a', { hasText: 'driver-settings.txt' }).waitFor();
    const got = await downloadOf(page, 'driver-settings.txt');
    expect(got.bytes.toString()).toBe('dpi=300\nduplex=off\n');
    expect(await page.locator('body').textContent()).not.toContain('serials-internal.csv');
    await shot(page, 'attachments-portal-reply');
    expect(await seriousViolations(page)).toEqual([]);

    // guessing the note's URL does not help: the API refuses it for customers
    const agent = await app.newPage();
    await agent.goto(`${app.origin(fx.slug)}/login`);
    await app.signIn(agent, fx.agent.email, fx.password, /\/agent$/);
    await agent.goto(agentUrl);
    const href = await agent.locator('.attachments a', { hasText: 'serials-internal.csv' }).getAttribute('href');
    const status = (p: Page) => p.evaluate(async (h) => (await fetch(h!)).status, href);
    expect(await status(page)).toBe(404);
    expect(await status(agent)).toBe(200);
  });

  it('an agent opens a ticket for a customer with a file', async () => {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/login`);
    await app.signIn(page, fx.agent.email, fx.password, /\/agent$/);
    await page.goto(`${app.origin(fx.slug)}/agent/tickets/new`);
    // hydration sets the <select>'s value from the page data: choose after it, not before
    await page.waitForSelector('html[data-hydrated="1"]');
    await page.selectOption('#n-queue', { label: 'Support' });
    await page.fill('#n-email', fx.customer.email);
    await page.fill('#n-title', 'Phone call: invoice copy');
    await page.fill('#n-body', 'Customer called; copy of the invoice attached.');
    await page.setInputFiles('#n-files', [
      { name: 'invoice-copy.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 copy') },
      { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('called at 10:00') },
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/agent\/tickets\/[^/?]+$/), page.click('form.new-ticket button[type=submit]')]);
    await page.locator('.attachments a', { hasText: 'invoice-copy.pdf' }).waitFor();
    expect(await page.locator('.attachments a').allTextContents()).toEqual(expect.arrayContaining(['invoice-copy.pdf', 'note.txt']));
    const got = await downloadOf(page, 'invoice-copy.pdf');
    expect(got.bytes.toString()).toBe('%PDF-1.4 copy');
  });

  it('without JavaScript a portal reply with a file works, and a file over the limit gets a clear message', async () => {
    const ctx = await app.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      await page.goto(`${app.origin(fx.slug)}${ticketPath}`);
      await page.waitForURL(/\/portal\/login/);
      await app.signIn(page, fx.customer.email, fx.password, /\/portal\/tickets\//);
      await page.fill('#r-body', 'Here is the log you asked for.');
      await page.setInputFiles('#r-files', { name: 'scanner.log', mimeType: 'text/plain', buffer: Buffer.from('E42 paper jam\n') });
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]:has-text("Send")')]);
      await page.locator('.attachments a', { hasText: 'scanner.log' }).waitFor();

      await page.goto(`${app.origin(fx.slug)}${ticketPath}`);
      await page.fill('#r-body', 'And a huge scan.');
      await page.setInputFiles('#r-files', { name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_FILE + 1, 7) });
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]:has-text("Send")')]);
      const notice = page.locator('.notice-error');
      await notice.waitFor();
      expect(await notice.textContent()).toBe('A file is larger than 97.7 kB. Choose a smaller one.');
      expect(await page.inputValue('#r-body')).toBe('And a huge scan.');
      await shot(page, 'attachments-too-large');
      expect(await page.locator('.thread').textContent()).not.toContain('And a huge scan.');
    } finally {
      await ctx.close();
    }
  });
});
