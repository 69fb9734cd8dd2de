// Live updates in the browser (issue #5): two agents open the same ticket in Chromium against the
// built web app and the real API. Collision warning both ways, "is replying", a reply by one
// shows up for the other without reload while their half-typed draft stays, a state change shows
// live, the ticket list offers a refresh, and the SSE endpoints refuse requests without a session.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, uniqueSlug, type TenantFixture } from '../support/factories.ts';
import { seriousViolations, shot, startWebApp, type WebApp } from '../support/web.ts';
import { withTenant } from '@parley/db';

describe('live updates and collision warning (Chromium, real API)', () => {
  let api: TestApi;
  let fx: TenantFixture;
  let app: WebApp;
  let ticket: { id: string; number: string; title: string };
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    api = await startTestApi();
    fx = await createTenantFixture(api);
    ticket = await openTicket(api, fx.customer.token, { queueId: fx.queue('Support').id, title: `Printer jam ${uniqueSlug('x')}`, body: 'It is stuck.' });
    app = await startWebApp(api);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await app?.shootFailure(ctx.task.name);
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  const ticketUrl = () => `${app.origin(fx.slug)}/agent/tickets/${encodeURIComponent(ticket.number)}`;
  async function agentPage(email: string) {
    const page = await app.newPage();
    await page.goto(`${app.origin(fx.slug)}/login`);
    await app.signIn(page, email, fx.password, /\/agent$/);
    return page;
  }
  /** "Who viewed this ticket" rows of one agent: live reloads must not add any. */
  const viewsOf = (userId: string) => withTenant(api.services.db, fx.tenant.id, (tx) => tx.ticketView.count({ where: { userId } }));
  const presence = (page: Page) => page.locator('[data-testid=live-presence]');
  const notices = (page: Page) => page.locator('[data-testid=live-notice]');

  it('the live endpoints answer 401 without a session (no redirect to the login page)', async () => {
    const base = app.origin(); // no session cookie: the tenant does not matter
    const sse = await fetch(`${base}/live/tickets/${encodeURIComponent(ticket.id)}`, { redirect: 'manual' });
    expect(sse.status).toBe(401);
    const beat = await fetch(`${base}/live/tickets/${encodeURIComponent(ticket.id)}/presence`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ activity: 'VIEWING' }),
    });
    expect(beat.status).toBe(401);
    expect((await fetch(`${base}/live/queues`, { redirect: 'manual' })).status).toBe(401);
  });

  /** Opens an SSE endpoint with session and tenant cookies (Node cannot resolve <slug>.localhost); returns the status and the text of the first frames. */
  async function sseAs(token: string, path: string, until: RegExp, slug = fx.slug) {
    const ctl = new AbortController();
    const res = await fetch(`${app.origin()}${path}`, { redirect: 'manual', signal: ctl.signal, headers: { cookie: `parley_tenant=${slug}; parley_session=${token}` } });
    let text = '';
    if (res.ok && res.body) {
      const reader = res.body.getReader();
      const deadline = Date.now() + 10_000;
      while (!until.test(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    }
    ctl.abort();
    return { status: res.status, type: res.headers.get('content-type'), text };
  }

  it('the relay enforces the API\'s rules: customers 403, other queues and other tenants end the stream with NOT_FOUND', async () => {
    expect((await sseAs(fx.customer.token, '/live/queues', /x/)).status).toBe(403);
    const ok = await sseAs(fx.agent.token, `/live/tickets/${encodeURIComponent(ticket.id)}`, /event: presence/);
    expect(ok).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/event-stream/) });
    expect(ok.text).toMatch(/event: ready/);
    // the reader may read Support only
    const billing = await openTicket(api, fx.agent.token, { queueId: fx.queue('Billing').id, title: 'billing only', body: 'x' });
    const denied = await sseAs(fx.reader.token, `/live/tickets/${encodeURIComponent(billing.id)}`, /event: closed/);
    expect(denied.text).toMatch(/event: closed\ndata: \{"code":"NOT_FOUND"/);
    expect(denied.text).not.toMatch(/event: (ticket|presence)/);
    // another tenant's agent, with its own valid session, names this tenant's ticket
    const other = await createTenantFixture(api);
    const foreign = await sseAs(other.agent.token, `/live/tickets/${encodeURIComponent(ticket.id)}`, /event: closed/, other.slug);
    expect(foreign.text).toMatch(/"code":"NOT_FOUND"/);
  });

  it('one session may hold at most 12 live streams on a web instance (429 beyond, a closed one frees its slot)', async () => {
    const open = async () => {
      const ctl = new AbortController();
      const res = await fetch(`${app.origin()}/live/queues`, { signal: ctl.signal, headers: { cookie: `parley_tenant=${fx.slug}; parley_session=${fx.agent2.token}` } });
      return { status: res.status, close: () => ctl.abort() };
    };
    const held = [];
    for (let i = 0; i < 12; i++) held.push(await open());
    expect(held.map((h) => h.status)).toEqual(Array(12).fill(200));
    const refused = await open();
    expect(refused.status).toBe(429);
    held.pop()!.close();
    let again = await open();
    for (let i = 0; again.status === 429 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100)); // the server notices the abort asynchronously
      again = await open();
    }
    expect(again.status).toBe(200);
    for (const h of [...held, again]) h.close();
  });

  it('two agents on one ticket both see the collision warning, and who is replying', async () => {
    alice = await agentPage(fx.agent.email);
    await alice.goto(ticketUrl());
    await alice.waitForSelector('.articles > li');
    bob = await agentPage(fx.agent2.email);
    await bob.goto(ticketUrl());
    await bob.waitForSelector('.articles > li');

    await presence(alice).getByText('Bob Agent is also viewing this ticket').waitFor();
    await presence(bob).getByText('Alice Agent is also viewing this ticket').waitFor();
    await shot(alice, 'live-collision');
    expect(await seriousViolations(alice)).toEqual([]);

    await alice.click('#c-body');
    await alice.keyboard.type('Dear customer, we are looking into');
    await presence(bob).getByText('Alice Agent is replying').waitFor();
    await shot(bob, 'live-other-replying');
    expect(await seriousViolations(bob)).toEqual([]);
  });

  it('a reply by Bob appears for Alice without reload, with a notice, and her draft is kept', async () => {
    const draft = 'Dear customer, we are looking into';
    await alice.evaluate(() => { (window as unknown as { liveMarker: number }).liveMarker = 42; });
    const before = await alice.locator('.articles > li').count();
    const aliceViews = await viewsOf(fx.agent.id);

    await bob.fill('#c-body', 'Bob here: please restart the printer.');
    await bob.click('#compose button.btn-primary[type=submit]');
    await bob.waitForFunction((n) => document.querySelectorAll('.articles > li').length > n, before);

    await alice.waitForFunction((n) => document.querySelectorAll('.articles > li').length > n, before);
    await expect(alice.locator('.articles > li').last().textContent()).resolves.toContain('please restart the printer');
    await notices(alice).getByText('Bob Agent replied').waitFor();
    expect(await alice.inputValue('#c-body')).toBe(draft);
    expect(await viewsOf(fx.agent.id)).toBe(aliceViews);
    // Bob is still shown (his page reloaded after sending: no leave/announce race)
    await presence(alice).getByText(/Bob Agent is (also viewing|replying)/).waitFor();
    // no navigation happened: the window's state survived
    expect(await alice.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(42);
    // the reply locked the ticket for Bob: Alice sees that too (no separate "locked" notice)
    await expect(alice.locator('.lockbox').textContent()).resolves.toMatch(/Bob Agent/);
    await shot(alice, 'live-reply-arrived');
    expect(await seriousViolations(alice)).toEqual([]);
  });

  it('a state change by Bob shows up live for Alice', async () => {
    const supportCount = alice.locator('nav .queues a:has-text("Support") .count');
    await expect(supportCount.textContent()).resolves.toBe('1');
    const closed = await bob.locator('#p-state option', { hasText: /^closed successful/ }).getAttribute('value');
    await bob.selectOption('#p-state', closed!);
    await bob.click('form[action="?/properties"] button[type=submit]');
    await alice.locator('.meta .badge.st-closed').waitFor();
    await notices(alice).getByText('Bob Agent changed the state').waitFor();
    expect(await alice.inputValue('#c-body')).toBe('Dear customer, we are looking into');
    // the sidebar's queue count follows (the only open ticket of Support is closed now)
    await supportCount.waitFor({ state: 'detached' });
    await shot(alice, 'live-state-changed');
  });

  it('when Bob leaves the ticket, Alice\'s warning goes away', async () => {
    await bob.goto(`${app.origin(fx.slug)}/agent`);
    await presence(alice).getByText(/Bob Agent/).waitFor({ state: 'detached' });
    // Alice's tab still holds its stream: the API is subscribed to the tenant's presence channel
    expect(Number(((await api.services.redis.pubsub('NUMSUB', `ticket-presence:${fx.tenant.id}`)) as [string, number])[1])).toBe(1);
  });

  it('the queue overview\'s counts follow changes by others without reload', async () => {
    await alice.goto(`${app.origin(fx.slug)}/agent`);
    await alice.waitForSelector('h1');
    await alice.waitForTimeout(1000); // stream subscribed
    const row = alice.locator('table tbody tr', { has: alice.locator('th a:has-text("Billing")') });
    const before = await row.textContent();
    await openTicket(api, fx.agent2.token, { queueId: fx.queue('Billing').id, title: `Invoice ${uniqueSlug('x')}`, body: 'x' });
    await alice.locator('nav .queues a:has-text("Billing") .count', { hasText: '1' }).waitFor();
    await alice.waitForFunction(([b]) => [...document.querySelectorAll('table tbody tr')].find((r) => r.textContent?.includes('Billing'))?.textContent !== b, [before]);
    await shot(alice, 'live-queue-overview');
    expect(await seriousViolations(alice)).toEqual([]);
  });

  it('the ticket list offers a refresh when others create or change tickets', async () => {
    await alice.goto(`${app.origin(fx.slug)}/agent/tickets?queue=${encodeURIComponent(fx.queue('Support').id)}`);
    await alice.waitForSelector('h1');
    // Nobody has a ticket open any more: the web server closed both upstream sockets, so the API
    // dropped its Redis subscription to this tenant's presence channel.
    const channel = `ticket-presence:${fx.tenant.id}`;
    const subscribers = async () => Number(((await api.services.redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
    const deadline = Date.now() + 15_000;
    while ((await subscribers()) > 0 && Date.now() < deadline) await alice.waitForTimeout(200);
    expect(await subscribers()).toBe(0);
    await alice.waitForTimeout(1000); // the stream is open and subscribed (the ticket above is closed: the list may be empty)
    const title = `Fresh one ${uniqueSlug('x')}`;
    await openTicket(api, fx.agent2.token, { queueId: fx.queue('Support').id, title, body: 'new' });
    const banner = alice.locator('[data-testid=live-queue-banner]');
    await banner.getByText('1 new or updated ticket').waitFor();
    // the sidebar count updates by itself; the list waits for Refresh
    await alice.locator('nav .queues a:has-text("Support") .count', { hasText: '1' }).waitFor();
    await shot(alice, 'live-queue-banner');
    expect(await seriousViolations(alice)).toEqual([]);
    expect(await alice.locator('td.c-title a', { hasText: title }).count()).toBe(0);
    await banner.getByRole('button', { name: 'Refresh' }).click();
    await alice.locator('td.c-title a', { hasText: title }).waitFor();
    await banner.waitFor({ state: 'detached' });
  });
});
