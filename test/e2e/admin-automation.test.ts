// End-to-end: a tenant admin sets up a business calendar, an SLA, a webhook and an automation rule
// in the browser (server-rendered forms), the rule fires on a new ticket (worker in this process),
// its run and the webhook delivery show up in the admin pages, a delivery is redelivered, and a
// queue gets automatic assignment. Screenshots in test/artifacts/, axe on every page.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { verifyWebhookSignature, SIGNATURE_HEADER } from '@parley/api/partners/webhooks.ts';
import { closeQueues } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { ticketEventJob } from '@parley/worker/jobs/ticket-event/definition.ts';
import { webhookDeliverJob } from '@parley/worker/jobs/webhook-deliver/definition.ts';
import { slaRecomputeJob } from '@parley/worker/jobs/sla-recompute/definition.ts';
import { slaEscalationJob } from '@parley/worker/jobs/sla-escalation/definition.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { waitUntil } from '../support/mail.ts';
import { seriousViolations, shot, startWebApp, type WebApp } from '../support/web.ts';

describe('tenant admin: calendars, SLAs, automation rules, webhooks (Chromium, real API and worker)', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  let api: TestApi;
  let running: RunningWorkers;
  let fx: TenantFixture;
  let app: WebApp;
  let admin: Page;
  let receiver: Server;
  let hookUrl = '';
  let secret = '';
  const received: { body: string; signature: string; event: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        received.push({ body, signature: String(req.headers[SIGNATURE_HEADER]), event: String(req.headers['parley-event']) });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/parley`;
    api = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    running = await runWorkers(api.services, [ticketEventJob, webhookDeliverJob, slaRecomputeJob, slaEscalationJob], { prefix });
    fx = await createTenantFixture(api);
    app = await startWebApp(api);
    admin = await app.newPage();
    await admin.goto(`${app.origin(fx.slug)}/login`);
    await app.signIn(admin, fx.admin.email, fx.password, /\/agent/);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await app?.shootFailure(ctx.task.name);
  });

  afterAll(async () => {
    await app?.close();
    await running?.close();
    await closeQueues();
    await api?.close();
    await new Promise((r) => receiver.close(r));
  });

  const go = async (path: string) => {
    await admin.goto(`${app.origin(fx.slug)}${path}`);
    await admin.waitForSelector('h1');
  };
  const submit = (form: string, url: RegExp) => Promise.all([admin.waitForURL(url), admin.click(`${form} button[type=submit].btn-primary`)]);

  it('creates a business calendar; unreadable hours are reported next to their day', async () => {
    await go('/admin/calendars');
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.fill('#cal-name', 'Berlin office');
    await admin.fill('#cal-tz', 'Europe/Berlin');
    await admin.fill('#cal-mon', '9 to 5');
    await admin.fill('#cal-holidays', '12-25 Christmas Day\n2026-12-31 New Year’s Eve');
    await admin.click('#calendar-form button[type=submit]');
    const error = admin.locator('#calendar-week\\.mon-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('9 to 5');
    expect(await admin.getAttribute('#cal-mon', 'aria-describedby')).toBe('calendar-week.mon-error');
    expect(await admin.inputValue('#cal-holidays')).toContain('Christmas Day'); // kept after the failed post
    await shot(admin, 'adminauto-calendar-error');
    // overlapping intervals: the API's check, shown on the same field
    await admin.fill('#cal-mon', '09:00-12:00, 11:00-17:00');
    await admin.click('#calendar-form button[type=submit]');
    await admin.locator('#calendar-week\\.mon-error', { hasText: 'overlaps' }).waitFor();
    await admin.fill('#cal-mon', '09:00-12:00, 13:00-17:00');
    await submit('#calendar-form', /saved=1/);
    const row = admin.locator('tbody tr', { hasText: 'Berlin office' });
    expect(await row.textContent()).toContain('Europe/Berlin');
    expect(await row.textContent()).toContain('09:00-12:00, 13:00-17:00');
    await shot(admin, 'adminauto-calendars');
    expect(await seriousViolations(admin)).toEqual([]);
  });

  it('creates an SLA on that calendar and applies it to a queue', async () => {
    await go('/admin/slas');
    await admin.fill('#sla-name', 'Gold');
    await admin.selectOption('#sla-calendar', { label: 'Berlin office' });
    await admin.fill('#sla-firstResponseMinutes', '60');
    await admin.fill('#sla-solutionMinutes', '480');
    await admin.fill('#sla-warnPercent', '150'); // the API allows 1–99
    await admin.click('#sla-form button[type=submit].btn-primary');
    await admin.locator('#sla-warnPercent-error').waitFor();
    expect(await admin.inputValue('#sla-solutionMinutes')).toBe('480');
    await shot(admin, 'adminauto-sla-error');
    await admin.fill('#sla-warnPercent', '80');
    await admin.selectOption('#sla-notify', 'queue');
    await admin.check('input[name="breach.raise"]');
    await submit('#sla-form', /saved=1/);
    await admin.click('a[aria-label="Edit: Gold"]');
    await admin.waitForSelector('#sla-assignments');
    await admin.selectOption('#assign-queueId', { label: 'Support' });
    await Promise.all([admin.waitForURL(/saved=1/), admin.click('#sla-assignments form.assign button[type=submit]')]);
    expect(await admin.locator('#sla-assignments .assignments').textContent()).toContain('Support');
    const sla = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.sla.findFirstOrThrow({ where: { name: 'Gold' }, include: { calendar: true, assignments: true } }));
    expect(sla).toMatchObject({ firstResponseMinutes: 60, solutionMinutes: 480, warnPercent: 80, calendar: { name: 'Berlin office' }, actions: { breach: [{ type: 'raise_priority' }], notify: 'queue' } });
    expect(sla.assignments.map((a) => a.queueId)).toEqual([fx.queue('Support').id]);
    await shot(admin, 'adminauto-sla');
    expect(await seriousViolations(admin)).toEqual([]);
  });

  it('creates a webhook: the signing secret is shown once', async () => {
    await go('/admin/webhooks');
    await admin.fill('#wh-url', hookUrl);
    await admin.check('input[name=events][value=TICKET_MERGED]'); // only merges: what arrives here comes from the rule
    await admin.click('#webhook-form button[type=submit]');
    await admin.waitForSelector('#wh-secret');
    secret = await admin.inputValue('#wh-secret');
    expect(secret).toMatch(/^whsec_/);
    await shot(admin, 'adminauto-webhook-secret');
    expect(await seriousViolations(admin)).toEqual([]);
    await go('/admin/webhooks');
    expect(await admin.locator('#wh-secret').count()).toBe(0);
    expect(await admin.locator('tbody').textContent()).toContain(hookUrl);
  });

  let ruleId = '';
  it('creates an automation rule in the UI and sees it fire on a new ticket', async () => {
    const highest = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.priority.findFirstOrThrow({ orderBy: { level: 'desc' } }));
    const hook = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.webhook.findFirstOrThrow({ where: { url: hookUrl } }));
    await go('/admin/automation');
    await admin.fill('#rule-name', 'Urgent first');
    await admin.selectOption('#cond-0', 'titleContains');
    await admin.fill('#cond-value-0', 'urgent');
    // no action: the API's field error
    await admin.click('#rule-form button[type=submit].btn-primary');
    await admin.waitForSelector('#rule-form .notice-error');
    expect(await admin.inputValue('#cond-value-0')).toBe('urgent');
    await admin.selectOption('#act-0', `set_priority=${highest.id}`);
    await admin.selectOption('#act-1', 'add_note');
    await admin.fill('#act-body-1', 'Escalated by the rule');
    await admin.selectOption('#act-2', `call_webhook=${hook.id}`);
    // and at least one of two queues (the ticket below is in Support)
    await admin.selectOption('#any-0', `queueId=${fx.queue('Support').id}`);
    await admin.selectOption('#any-1', `queueId=${fx.queue('Billing').id}`);
    await submit('#rule-form', /saved=1/);
    const row = admin.locator('tbody tr', { hasText: 'Urgent first' });
    expect(await row.textContent()).toContain('Title contains "urgent"');
    expect(await row.textContent()).toContain('any of: Queue = Support or Queue = Billing');
    const stored = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.automationRule.findFirstOrThrow({ where: { name: 'Urgent first' } }));
    expect(stored.anyConditions).toEqual([{ field: 'queueId', equals: fx.queue('Support').id }, { field: 'queueId', equals: fx.queue('Billing').id }]);
    expect(await row.textContent()).toContain(`Set priority ${highest.name}`);
    await shot(admin, 'adminauto-rules');
    expect(await seriousViolations(admin)).toEqual([]);
    ruleId = (await withTenant(api.services.db, fx.tenant.id, (tx) => tx.automationRule.findFirstOrThrow({ where: { name: 'Urgent first' } }))).id;

    const ticket = await openTicket(api, fx.agent.token, { queueId: fx.queue('Support').id, title: 'URGENT: mail server down', body: 'nothing arrives' });
    const ticketId = Buffer.from(ticket.id, 'base64').toString('utf8').split(':')[1];
    const row2 = await waitUntil(async () => {
      const t = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticket.findUniqueOrThrow({ where: { id: ticketId } }));
      return t.priorityId === highest.id && t;
    }, 30_000, 'rule applied');
    expect(row2.priorityId).toBe(highest.id);
    await go(`/admin/automation/${ruleId}`);
    const runs = admin.locator('tbody');
    expect(await runs.textContent()).toContain(ticket.number);
    expect(await runs.textContent()).toContain('webhook called');
    await shot(admin, 'adminauto-rule-runs');
    expect(await seriousViolations(admin)).toEqual([]);

    // the ticket view shows the rule's note
    await admin.goto(`${app.origin(fx.slug)}/agent/tickets/${encodeURIComponent(ticket.number)}`);
    await admin.locator('text=Escalated by the rule').first().waitFor();
  });

  it('shows the webhook delivery log and redelivers a delivery', async () => {
    const first = await waitUntil(async () => received.length >= 1 && received[0], 30_000, 'rule webhook delivered');
    expect(first.event).toBe('AUTOMATION_RULE');
    expect(verifyWebhookSignature(secret, first.body, first.signature)).toBe(true);
    expect(JSON.parse(first.body).rule.id).toBe(ruleId);
    const hook = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.webhook.findFirstOrThrow({ where: { url: hookUrl } }));
    await waitUntil(async () => (await withTenant(api.services.db, fx.tenant.id, (tx) => tx.webhookDelivery.findFirst({ where: { webhookId: hook.id, status: 'SUCCEEDED' } }))), 30_000, 'delivery logged');
    await go(`/admin/webhooks/${hook.id}`);
    const row = admin.locator('tbody tr', { hasText: 'AUTOMATION_RULE' });
    expect(await row.textContent()).toContain('Delivered');
    expect(await row.textContent()).toContain('202');
    await shot(admin, 'adminauto-webhook-log');
    expect(await seriousViolations(admin)).toEqual([]);
    await Promise.all([admin.waitForURL(/queued=1/), row.locator('button', { hasText: 'Redeliver' }).click()]);
    await waitUntil(async () => received.length >= 2, 30_000, 'redelivered');
    expect(received[1].body).toBe(first.body);
    expect(verifyWebhookSignature(secret, received[1].body, received[1].signature)).toBe(true);
    await waitUntil(async () => (await withTenant(api.services.db, fx.tenant.id, (tx) => tx.webhookDelivery.findFirst({ where: { webhookId: hook.id, status: 'SUCCEEDED', attempts: 2 } }))), 30_000, 'second attempt logged');
    await go(`/admin/webhooks/${hook.id}`);
    const again = admin.locator('tbody tr', { hasText: 'AUTOMATION_RULE' });
    expect(await again.locator('td').nth(2).textContent()).toContain('Delivered');
    expect((await again.locator('td').nth(4).textContent())?.trim()).toBe('2'); // attempts
  });

  it('works without JavaScript: a webhook edit with a bad URL is refused next to the field, a good one saved', async () => {
    const ctx = await app.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto(`${app.origin(fx.slug)}/login`);
      await app.signIn(page, fx.admin.email, fx.password, /\/agent/);
      const hook = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.webhook.findFirstOrThrow({ where: { url: hookUrl } }));
      await page.goto(`${app.origin(fx.slug)}/admin/webhooks?edit=${hook.id}`);
      await page.fill('#wh-url', 'http://10.0.0.1/hook'); // private address: refused in production, allowed by this test API's WEBHOOK_ALLOW_PRIVATE_NETWORKS
      await page.check('input[name=events][value=TICKET_CREATED]');
      await Promise.all([page.waitForURL(/saved=1/), page.click('#webhook-form button[type=submit].btn-primary')]);
      const saved = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.webhook.findUniqueOrThrow({ where: { id: hook.id } }));
      expect(saved).toMatchObject({ url: 'http://10.0.0.1/hook', events: ['TICKET_CREATED', 'TICKET_MERGED'] }); // this test API allows private networks
      await page.goto(`${app.origin(fx.slug)}/admin/webhooks?edit=${hook.id}`);
      await page.fill('#wh-url', 'ftp://example.com/x');
      await page.click('#webhook-form button[type=submit].btn-primary');
      await page.locator('#webhook-url-error').waitFor();
      expect(await page.inputValue('#wh-url')).toBe('ftp://example.com/x');
      await shot(page, 'adminauto-webhook-nojs-error');
      await page.fill('#wh-url', hookUrl);
      await Promise.all([page.waitForURL(/saved=1/), page.click('#webhook-form button[type=submit].btn-primary')]);
      expect((await withTenant(api.services.db, fx.tenant.id, (tx) => tx.webhook.findUniqueOrThrow({ where: { id: hook.id } }))).url).toBe(hookUrl);
    } finally {
      await ctx.close();
    }
  });

  it('switches a rule off from the list, and turns on automatic assignment for a queue', async () => {
    await go('/admin/automation');
    const rule = admin.locator('tbody tr', { hasText: 'Urgent first' });
    await Promise.all([admin.waitForURL(/saved=1/), rule.locator('button', { hasText: 'Switch off' }).click()]);
    await rule.locator('button', { hasText: 'Switch on' }).waitFor();
    expect((await withTenant(api.services.db, fx.tenant.id, (tx) => tx.automationRule.findFirstOrThrow({ where: { name: 'Urgent first' } }))).active).toBe(false);
    await go('/admin/queues');
    await admin.click('a[aria-label="Edit: Billing"]');
    await admin.waitForURL(/edit=/);
    await admin.selectOption('#q-autoassign', 'ROUND_ROBIN');
    await Promise.all([admin.waitForURL(/saved=1/), admin.click('#queue-form button[type=submit]')]);
    expect(await admin.locator('tbody tr', { hasText: 'Billing' }).textContent()).toContain('Round robin');
    const assign = await withTenant(api.services.db, fx.tenant.id, (tx) => tx.queueAutoAssign.findFirst({ where: { queueId: fx.queue('Billing').id } }));
    expect(assign?.strategy).toBe('ROUND_ROBIN');
    await shot(admin, 'adminauto-queues');
    expect(await seriousViolations(admin)).toEqual([]);
  });
});
