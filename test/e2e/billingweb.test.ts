// Billing in the browser (Chromium, built web app, real API, the local fake Stripe with the real
// `stripe` library): the admin creates an incident pack; a customer without incidents is sent from
// the new-ticket form to the pack page, buys the pack through the fake Checkout flow and comes back
// to a page that re-reads the payment (balance goes up); the provider suspends the tenant, its
// agent cannot sign in, the provider resumes it. Screenshots in test/artifacts/, axe on each page.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_TOKEN, startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe/index.ts';
import { seriousViolations, shot, startWebApp, type WebApp } from '../support/web.ts';

const WEBHOOK_SECRET = 'whsec_billingweb_e2e';

describe('billing web pages end to end', () => {
  let fake: FakeStripe;
  let api: TestApi;
  let app: WebApp;
  let f: TenantFixture;
  let accountId = '';
  const packName = 'Ten incidents';

  beforeAll(async () => {
    fake = await startFakeStripe();
    api = await startTestApi({
      STRIPE_SECRET_KEY: fake.secretKey, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_HOST: fake.host, STRIPE_API_PORT: String(fake.port), STRIPE_API_PROTOCOL: 'http',
    });
    fake.webhooks.addEndpoint(api.url.replace('/graphql', '/stripe/webhook'), { secret: WEBHOOK_SECRET, scope: 'all' });
    f = await createTenantFixture(api);
    // The tenant takes payments (Connect onboarding is Stripe's page: done through the API and the fake).
    const c = await api.gql(`mutation { connectStripeAccount { ... on ConnectStripeAccountSuccess { onboarding { id } } } }`, {}, f.admin.token);
    accountId = c.data.connectStripeAccount.onboarding.id;
    fake.onboard(accountId);
    await api.gql(`mutation($i: SupportPlanInput!) { saveSupportPlan(input: $i) { __typename } }`, { i: { name: 'Prepaid', mode: 'PREPAID', isDefault: true } }, f.admin.token);
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
    await fake?.close();
  });

  const origin = () => app.origin(f.slug);
  async function expectAccessible(page: Page) {
    await page.mouse.move(0, 0); // no hovered row
    expect(await seriousViolations(page)).toEqual([]);
  }

  it('the admin flags a department, creates an incident pack and sees the Stripe and plan pages', async () => {
    const page = await app.newPage();
    await page.goto(`${origin()}/login`);
    await app.signIn(page, f.admin.email, f.password, /\/agent$/);

    await page.goto(`${origin()}/admin/billing`);
    expect(await page.locator('[data-testid=stripe-status]').textContent()).toContain('Ready for payments');
    await page.locator('label', { hasText: 'Billing' }).locator('input[type=checkbox]').check();
    await Promise.all([page.waitForURL(/saved=queues/), page.locator('form[action="?/queues"] button[type=submit]').click()]);
    expect(await page.locator('label', { hasText: 'Billing' }).locator('input[type=checkbox]').isChecked()).toBe(true);
    await shot(page, 'billing-admin-payments');
    await expectAccessible(page);

    await page.goto(`${origin()}/admin/billing/plans`);
    await page.fill('#pk-name', packName);
    await page.fill('#pk-incidents', '10');
    await page.fill('#pk-price', '49.00');
    await Promise.all([page.waitForURL(/saved=pack/), page.locator('form[action="?/pack"] button[type=submit]').click()]);
    const row = page.locator('tr', { hasText: packName });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/10.*49/);
    await shot(page, 'billing-admin-plans');
    await expectAccessible(page);

    await page.goto(`${origin()}/admin/plan`);
    expect(await page.locator('[data-testid=platform-plan]').textContent()).toBe('Free');
    await shot(page, 'billing-admin-platform-plan');
    await expectAccessible(page);
  });

  it('a customer with no incident is sent to the packs, buys one through Checkout, and the balance goes up', async () => {
    const page = await app.newPage();
    // checkout.stripe.com is not reachable from tests (and a browser's redirects cannot be routed):
    // the web app's real answer to "Buy" is fetched, its 303 to Stripe checked, and the fake
    // Stripe's hosted Checkout page shown in its place.
    let sessionId = '';
    let location = '';
    await page.route((url) => url.pathname === '/portal/incidents' && url.search.startsWith('?/buy'), async (route) => {
      // From this process <slug>.localhost does not resolve: the same request to 127.0.0.1, with its Host.
      const original = new URL(route.request().url());
      const answer = await route.fetch({
        url: `http://127.0.0.1:${app.port}${original.pathname}${original.search}`,
        headers: { ...(await route.request().allHeaders()), host: original.host },
        maxRedirects: 0,
      });
      location = answer.headers()['location'] ?? '';
      sessionId = location.split('/').pop() ?? '';
      await route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><html lang="en"><title>Fake Checkout</title><main><h1>Fake Checkout</h1><p>${answer.status()} ${sessionId}</p></main></html>` });
    });
    await page.goto(`${origin()}/portal/login`);
    await app.signIn(page, f.customer.email, f.password, /\/portal$/);

    await page.goto(`${origin()}/portal/new`);
    await page.selectOption('#p-queue', { label: 'Billing' });
    const notice = page.locator('#p-no-incident');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('No incident left');
    expect(await page.locator('button[type=submit]', { hasText: 'Send request' }).isDisabled()).toBe(true);
    await shot(page, 'billing-portal-no-incident');
    await expectAccessible(page);

    await Promise.all([page.waitForURL(/\/portal\/incidents\?queue=/), notice.locator('a').click()]);
    expect(await page.locator('[data-testid=incident-balance]').textContent()).toBe('0');
    await shot(page, 'billing-portal-packs');
    await expectAccessible(page);

    await page.locator('li.pack', { hasText: packName }).locator('button').click();
    await page.locator('h1', { hasText: 'Fake Checkout' }).waitFor();
    expect(location).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    expect(await page.locator('p').textContent()).toContain('303');
    // The customer pays on Stripe; Stripe then sends them to the success URL.
    fake.complete(sessionId, { account: accountId });
    const session = await fake.client({ stripeAccount: accountId }).checkout.sessions.retrieve(sessionId);
    const success = new URL(session.success_url!.replace('{CHECKOUT_SESSION_ID}', sessionId));
    await page.goto(`${origin()}${success.pathname}${success.search}`);
    await page.locator('.notice-success', { hasText: 'were added to your balance' }).waitFor();
    expect(await page.locator('[data-testid=incident-balance]').textContent()).toBe('10');
    await shot(page, 'billing-portal-checkout-done');
    await expectAccessible(page);

    await page.goto(`${origin()}/portal/incidents`);
    expect(await page.locator('[data-testid=incident-balance]').textContent()).toBe('10');
    expect(await page.locator('table').textContent()).toContain('Pack bought');
    // Now the department is open to this customer.
    await page.goto(`${origin()}/portal/new`);
    await page.selectOption('#p-queue', { label: 'Billing' });
    expect(await page.locator('#p-no-incident').count()).toBe(0);

    // An abandoned Checkout: the cancel page says so and shows the API's balance.
    const cancelled = new URL(session.cancel_url!);
    await page.goto(`${origin()}${cancelled.pathname}`);
    expect(await page.locator('[data-testid=incident-balance]').textContent()).toBe('10');
    await shot(page, 'billing-portal-checkout-cancelled');
    await expectAccessible(page);
  });

  it('the provider suspends the tenant: its agent cannot sign in until the provider resumes it', async () => {
    const provider = await app.newPage();
    await provider.goto(`${app.origin()}/provider/login`);
    await provider.fill('input[name=token]', PROVIDER_TOKEN);
    await Promise.all([provider.waitForURL(/\/provider$/), provider.click('form.box button')]);
    const row = provider.locator('tr', { hasText: f.slug });
    expect(await row.textContent()).toMatch(/4 \/ 3/); // four active users on the free plan's three
    await Promise.all([provider.waitForURL(/\?tenant=/), row.locator('a', { hasText: 'Manage' }).click()]);
    await shot(provider, 'billing-provider-manage');
    await expectAccessible(provider);

    await provider.selectOption('#m-plan', 'team');
    await provider.fill('#m-agents', '25');
    await provider.locator('button', { hasText: 'Save plan and limits' }).click();
    await provider.locator('.notice-success', { hasText: 'Plan and limits' }).waitFor();
    expect(await provider.locator('tr', { hasText: f.slug }).textContent()).toMatch(/team.*4 \/ 25/s);

    await provider.fill('#m-reason', 'e2e');
    await provider.locator('button', { hasText: 'Suspend' }).click();
    await provider.locator('.notice-success', { hasText: 'is suspended' }).waitFor();
    expect(await provider.locator('tr', { hasText: f.slug }).textContent()).toContain('Suspended');

    const agent = await app.newPage();
    await agent.goto(`${origin()}/login`);
    await agent.fill('#email', f.agent.email);
    await agent.fill('#password', f.password);
    await agent.click('.login-card button[type=submit]');
    const refused = agent.locator('.notice-error', { hasText: 'suspended' });
    await refused.waitFor();
    expect(agent.url()).toContain('/login');
    await shot(agent, 'billing-agent-suspended');

    await provider.locator('button', { hasText: 'Resume' }).click();
    await provider.locator('.notice-success', { hasText: 'active again' }).waitFor();
    await agent.goto(`${origin()}/login`);
    await app.signIn(agent, f.agent.email, f.password, /\/agent$/);
  });
});
