// End-to-end: the admin's mail and branding pages (web/src/routes/(admin)/admin/mail/**) in
// Chromium against the real API, Dovecot (IMAP test connection) and a mail-in worker.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { storeRawMail } from '@parley/api/mail/inbound/store-raw-mail.ts';
import { SECRET_COLUMNS } from '@parley/api/secrets/secret-box.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { mailInProcessJob } from '@parley/worker/jobs/mail-in-process/definition.ts';
import { ensureDovecot, type Dovecot } from '../support/dovecot.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { mail, setMailSettings, startMailTestApi, waitUntil } from '../support/mail.ts';
import { seriousViolations, shot, startWebApp, type WebApp } from '../support/web.ts';
import type { TestApi } from '../support/api.ts';

describe('admin mail and branding pages (Chromium, real API)', () => {
  let api: TestApi & { prefix: string };
  let fx: TenantFixture;
  let app: WebApp;
  let dovecot: Dovecot;
  let workers: RunningWorkers;
  let admin: Page;
  const url = (path: string) => `${app.origin(fx.slug)}${path}`;

  beforeAll(async () => {
    dovecot = await ensureDovecot({ users: [{ user: 'helpdesk', password: 'imap-secret' }] });
    api = await startMailTestApi();
    fx = await createTenantFixture(api);
    await setMailSettings(api, fx.tenant.id, { notifyAgents: false });
    workers = await runWorkers(api.services, [mailInProcessJob], { prefix: api.prefix });
    app = await startWebApp(api);
    admin = await app.newPage();
    await admin.goto(url('/login'));
    await app.signIn(admin, fx.admin.email, fx.password, /\/agent$/);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await app?.shootFailure(ctx.task.name);
  });

  afterAll(async () => {
    await app?.close();
    await workers?.close();
    await closeQueues();
    await api?.close();
    await dovecot?.stop();
  });

  it('mail accounts: a bad port is shown at its field, the account is created, appears, tests OK; the password is never sent back', async () => {
    await admin.goto(url('/admin'));
    await Promise.all([admin.waitForURL(/\/admin\/mail\/accounts$/), admin.click('a:has-text("Mail & branding")')]);
    await admin.fill('#a-host', dovecot.host);
    await admin.fill('#a-port', 'nine');
    await admin.fill('#a-user', 'helpdesk');
    await admin.fill('#a-password', 'imap-secret');
    await admin.click('#account-form button[type=submit]');
    await admin.waitForSelector('#account-port-error');
    expect(await admin.inputValue('#a-host')).toBe(dovecot.host); // kept for the second try
    expect(await admin.getAttribute('#a-port', 'aria-describedby')).toBe('account-port-error');

    await admin.fill('#a-port', String(dovecot.port));
    await admin.fill('#a-password', 'imap-secret');
    await admin.uncheck('#account-form input[name=secure]');
    await Promise.all([admin.waitForURL(/saved=account/), admin.click('#account-form button[type=submit]')]);
    const row = admin.locator('tbody tr', { hasText: 'helpdesk' });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${dovecot.host}:${dovecot.port}`);
    expect(await admin.content()).not.toContain('imap-secret');

    await row.locator('button:has-text("Test connection")').click();
    const result = admin.locator('[data-testid=connection-test]');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Connection works:.*Signed in; mailbox INBOX/);
    await shot(admin, 'admin-mail-accounts');
    expect(await seriousViolations(admin)).toEqual([]);

    // Edit: the password field starts empty; saving without it keeps the stored one.
    await Promise.all([admin.waitForURL(/edit=/), row.locator('a:has-text("Edit")').click()]);
    expect(await admin.inputValue('#a-password')).toBe('');
    await admin.uncheck('#account-form input[name=active]');
    await Promise.all([admin.waitForURL(/saved=account/), admin.click('#account-form button[type=submit]')]);
    expect(await admin.locator('tbody tr', { hasText: 'helpdesk' }).textContent()).toContain('inactive');
    const stored = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.mailAccount.findFirstOrThrow({ where: { username: 'helpdesk' } }));
    expect(stored).toMatchObject({ active: false, secure: false });
    // kept, and encrypted at rest (api/src/secrets/README.md)
    expect(stored.password).toMatch(/^enc:v1:/);
    expect(api.services.secrets.open(stored.password, { tenantId: fx.tenant.id, column: SECRET_COLUMNS.mailAccountPassword })).toBe('imap-secret');

    // SMTP test without a server says what happens instead.
    await admin.click('button:has-text("Test SMTP connection")');
    await admin.waitForSelector('#smtp-form [data-testid=connection-test]');
    expect(await admin.locator('#smtp-form [data-testid=connection-test]').textContent()).toMatch(/No SMTP server is set/);
  });

  it('system addresses, filters and auto-responses: create, field errors, appear in the lists', async () => {
    await admin.goto(url('/admin/mail/addresses'));
    await admin.fill('#sa-address', `sales@${fx.slug}.localhost`);
    await admin.fill('#sa-name', 'Sales team');
    await admin.selectOption('#sa-queue', { label: 'Billing' });
    await Promise.all([admin.waitForURL(/saved=1/), admin.click('#address-form button[type=submit]')]);
    const addr = admin.locator('tbody tr', { hasText: `sales@${fx.slug}.localhost` });
    expect(await addr.textContent()).toMatch(/Sales team.*Billing.*verified/s);
    await Promise.all([admin.waitForURL(/saved=sender/), addr.locator('button:has-text("Use as sender")').click()]);
    expect(await admin.locator('tbody tr', { hasText: `sales@${fx.slug}.localhost` }).textContent()).toContain('sender of this queue');
    await shot(admin, 'admin-mail-addresses');
    expect(await seriousViolations(admin)).toEqual([]);

    await admin.goto(url('/admin/mail/filters'));
    await admin.fill('#f-name', 'Invoices to billing');
    await admin.fill('#f-pattern0', 'invoice(');
    await admin.selectOption('#f-queue', { label: 'Billing' });
    await admin.click('#filter-form button[type=submit]');
    await admin.waitForSelector('[id="filter-match.0.pattern-error"]');
    expect(await admin.inputValue('#f-name')).toBe('Invoices to billing');
    await admin.fill('#f-pattern0', 'invoice|rechnung');
    await Promise.all([admin.waitForURL(/saved=1/), admin.click('#filter-form button[type=submit]')]);
    const filter = admin.locator('tbody tr', { hasText: 'Invoices to billing' });
    expect(await filter.textContent()).toMatch(/Subject matches invoice\|rechnung.*Move to queue: Billing/s);
    await shot(admin, 'admin-mail-filters');
    expect(await seriousViolations(admin)).toEqual([]);

    await admin.goto(url('/admin/mail/auto-responses'));
    const support = admin.locator('tbody tr', { hasText: 'Support' }).first();
    await Promise.all([admin.waitForURL(/kind=NEW_TICKET/), support.locator('a:has-text("Set up")').first().click()]);
    await admin.fill('#r-subject', 'We received your request');
    await admin.fill('#r-body', 'Hello {{customer.name}}, your ticket is {{ticket.number}}.');
    await Promise.all([admin.waitForURL(/saved=1/), admin.click('#response-form button[type=submit]')]);
    expect(await admin.locator('tbody tr', { hasText: 'Support' }).first().textContent()).toContain('We received your request');
    await shot(admin, 'admin-mail-auto-responses');
    expect(await seriousViolations(admin)).toEqual([]);
  });

  it('failed mail: the source is shown escaped; reprocess creates the ticket; dismiss takes another off the list', async () => {
    const subject = 'Printer <script>alert(1)</script> jammed';
    const m = mail({ from: 'Carla <carla@customer.example>', to: `support@${fx.slug}.localhost`, subject, body: 'It jams on every page.' });
    const stored = await storeRawMail(api.services, { tenantId: fx.tenant.id, source: 'HTTP', raw: m.raw });
    const other = await storeRawMail(api.services, { tenantId: fx.tenant.id, source: 'HTTP', raw: mail({ from: 'x@spam.example', to: `support@${fx.slug}.localhost`, subject: 'junk' }).raw });
    // What a transient failure leaves behind (e.g. the database was down during processing).
    await withTenant(api.services.db, fx.tenant.id, (tx) => tx.inboundMail.updateMany({
      where: { id: { in: [stored.id, other.id] } }, data: { status: 'FAILED', failureCode: 'DB_UNAVAILABLE', failureReason: 'connection terminated unexpectedly', attempts: 1 },
    }));
    let alerted = false;
    admin.on('dialog', (d) => { alerted = true; void d.dismiss(); });

    await admin.goto(url('/admin/mail/failed'));
    expect(await admin.locator('tbody tr').count()).toBe(2);
    await shot(admin, 'admin-mail-failed');
    expect(await seriousViolations(admin)).toEqual([]);

    await admin.goto(url(`/admin/mail/failed/${stored.id}`));
    const headers = await admin.locator('pre').first().textContent();
    expect(headers).toContain(`Subject: ${subject}`);
    expect(await admin.locator('pre script').count()).toBe(0);
    expect(alerted).toBe(false);
    expect(await admin.textContent('dl')).toContain('DB_UNAVAILABLE');
    await shot(admin, 'admin-mail-failed-detail');
    expect(await seriousViolations(admin)).toEqual([]);

    await Promise.all([admin.waitForURL(/done=retried/), admin.click('button:has-text("Reprocess")')]);
    const processed = await waitUntil(async () => {
      const row = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.inboundMail.findUniqueOrThrow({ where: { id: stored.id } }));
      return row.status === 'PROCESSED' && row.ticketId ? row : null;
    }, 30_000, 'the reprocessed mail');
    const ticket = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticket.findUniqueOrThrow({ where: { id: processed.ticketId! } }));
    expect(ticket.title).toBe(subject);

    const left = admin.locator('tbody tr');
    expect(await left.count()).toBe(1);
    await Promise.all([admin.waitForURL(/done=dismissed/), left.locator('button:has-text("Dismiss")').click()]);
    await admin.waitForSelector('[data-testid=no-failed-mail]');
    await admin.goto(url(`/agent/tickets/${encodeURIComponent(ticket.number)}`));
    await admin.waitForSelector(`text=${subject}`);
  });

  it('branding: a colour failing WCAG AA is refused at its field; an accepted one colours the portal and agent header; the logo is served from the tenant host', async () => {
    await admin.goto(url('/admin/mail/branding'));
    await admin.fill('#b-name', 'Acme Help');
    await admin.fill('#b-color', '#ffcc00');
    await admin.waitForSelector('.preview .bad');
    await admin.click('#brand-form-h ~ form button[type=submit]');
    await admin.waitForSelector('#branding-primaryColor-error');
    expect(await admin.textContent('#branding-primaryColor-error')).toMatch(/contrast of 1\.\d\d:1/);
    expect(await admin.inputValue('#b-name')).toBe('Acme Help');
    await admin.fill('#b-color', '#0b6e4f');
    await admin.waitForSelector('.preview .ok');
    await Promise.all([admin.waitForURL(/saved=1/), admin.click('#brand-form-h ~ form button[type=submit]')]);

    // 1×1 PNG; an SVG is refused
    await admin.setInputFiles('#b-logo', { name: 'evil.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') });
    await admin.click('button:has-text("Upload logo")');
    await admin.waitForSelector('#logo-logo-error');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    await admin.setInputFiles('#b-logo', { name: 'logo.png', mimeType: 'image/png', buffer: png });
    await Promise.all([admin.waitForURL(/saved=logo/), admin.click('button:has-text("Upload logo")')]);
    await admin.waitForSelector('img.logo');
    await shot(admin, 'admin-mail-branding');
    expect(await seriousViolations(admin)).toEqual([]);

    // fetched by the browser from the tenant's own host
    const logo = await admin.evaluate(async () => {
      const res = await fetch('/brand/logo');
      return { status: res.status, type: res.headers.get('content-type'), nosniff: res.headers.get('x-content-type-options'), bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
    });
    expect(logo).toEqual({ status: 200, type: 'image/png', nosniff: 'nosniff', bytes: Array.from(png) });

    const portal = await app.newPage();
    await portal.goto(url('/portal/login'));
    await portal.waitForSelector('.brand');
    expect(await portal.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim())).toBe('#0b6e4f');
    expect(await portal.textContent('.brand')).toContain('Acme Help');
    expect(await portal.getAttribute('.brand img', 'src')).toMatch(/^\/brand\/logo\?v=[0-9a-f]{16}$/);
    await app.signIn(portal, fx.customer.email, fx.password, /\/portal$/);
    const barShadow = await portal.evaluate(() => getComputedStyle(document.querySelector('header.bar')!).boxShadow);
    expect(barShadow).toContain('rgb(11, 110, 79)');
    await shot(portal, 'admin-mail-branded-portal');
    expect(await seriousViolations(portal)).toEqual([]);

    await admin.goto(url('/agent'));
    expect(await admin.textContent('.topbar .brand')).toContain('Acme Help');
    expect(await admin.evaluate(() => getComputedStyle(document.querySelector('.topbar')!).boxShadow)).toContain('rgb(11, 110, 79)');
    await shot(admin, 'admin-mail-branded-agent');

    // another tenant's host shows none of it
    const other = await createTenantFixture(api);
    const page = await app.newPage();
    await page.goto(`${app.origin(other.slug)}/portal/login`);
    await page.waitForSelector('.brand');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim())).toBe('');
    expect(await page.textContent('.brand')).not.toContain('Acme Help');
    expect(await page.evaluate(async () => (await fetch('/brand/logo')).status)).toBe(404);
  });

  it('works without JavaScript: a system address is created and a field error is shown by the server', async () => {
    const ctx = await app.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
    try {
      const page = await ctx.newPage();
      await page.goto(url('/login'));
      await page.fill('#email', fx.admin.email);
      await page.fill('#password', fx.password);
      await Promise.all([page.waitForURL(/\/agent$/), page.click('.login-card button[type=submit]')]);
      await page.goto(url('/admin/mail/addresses'));
      await page.fill('#sa-address', `nojs@${fx.slug}.localhost`);
      await Promise.all([page.waitForURL(/saved=1/), page.click('#address-form button[type=submit]')]);
      expect(await page.locator('tbody tr', { hasText: `nojs@${fx.slug}.localhost` }).count()).toBe(1);
      // the same address again: a conflict, shown as the form's error, the value kept
      await page.fill('#sa-address', `nojs@${fx.slug}.localhost`);
      await Promise.all([page.waitForLoadState('load'), page.click('#address-form button[type=submit]')]);
      await page.waitForSelector('#address-form .notice-error');
      expect(await page.inputValue('#sa-address')).toBe(`nojs@${fx.slug}.localhost`);
    } finally {
      await ctx.close();
    }
  });
});
