// Browser smoke test of the main flows against a RUNNING stack (it writes data: notes, tickets,
// a tenant). Every flow runs twice: with JavaScript and without (progressive enhancement).
//   WEB_URL=http://localhost:3000 PROVIDER_TOKEN=... node scripts/smoke.ts
// Defaults match `./parley up` demo logins (agent@acme.test / customer@acme.test, password demo).
import { chromium } from 'playwright-core';
const base = process.env.WEB_URL ?? 'http://localhost:3000';
const PW = process.env.DEMO_PASSWORD ?? 'demo';
const AGENT = process.env.AGENT_EMAIL ?? 'agent@acme.test';
const CUSTOMER = process.env.CUSTOMER_EMAIL ?? 'customer@acme.test';
const PROVIDER_TOKEN = process.env.PROVIDER_TOKEN ?? '';
let passed = 0;
let failed = 0;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const check = (name: string, ok: boolean, extra: unknown = '') => {
  if (ok) passed++;
  else failed++;
  console.log(ok ? 'PASS' : 'FAIL', name, ok ? '' : extra);
};
for (const js of [true, false]) {
  const ctx = await browser.newContext({ javaScriptEnabled: js }); const page = await ctx.newPage(); const tag = js ? '[js]' : '[nojs]';
  await page.goto(base + '/agent/tickets');
  await page.fill('input[name=email]', AGENT); await page.fill('input[name=password]', PW);
  await Promise.all([page.waitForURL(/\/agent\/tickets/), page.click('.login-card button[type=submit]')]);
  check(tag + ' login', true);
  const total = await page.locator('.head .count').textContent();
  await page.goto(base + '/agent/tickets?state=all');
  check(tag + ' list ' + total, (await page.locator('tbody tr').count()) > 0);
  await page.goto(base + '/agent/tickets?q=dark&state=all');
  check(tag + ' text search', (await page.locator('tbody tr').count()) > 0 && ((await page.locator('tbody').textContent()) ?? '').includes('dark'));
  await page.goto(base + '/agent/tickets?sort=PRIORITY&dir=DESC&state=all');
  const prios = (await page.locator('tbody td.c-prio').allTextContents()).map((x) => parseInt(x.trim()));
  check(tag + ' sort by priority', prios.every((v, i) => i === 0 || prios[i - 1] >= v), prios.join(','));
  const href = await page.locator('td.c-title a').first().getAttribute('href');
  await page.goto(base + href);
  const before = await page.locator('.articles > li').count();
  if (js) { await page.waitForTimeout(500); await page.keyboard.press('n'); } else { await page.click('label:has(input[value=NOTE])'); }
  await page.selectOption('#c-template', { index: 1 }); await page.click('button:has-text("Insert")'); await page.waitForLoadState(); await page.waitForTimeout(300);
  check(tag + ' template inserted', (await page.inputValue('#c-body')).length > 0);
  await page.fill('#c-body', 'note from test ' + tag); await page.fill('#c-units', '5');
  await page.click('.composer button.btn-primary'); await page.waitForLoadState(); await page.waitForTimeout(800);
  check(tag + ' note added', (await page.locator('.articles > li').count()) === before + 1, await page.locator('[role=alert]').allTextContents());
  await page.selectOption('#p-prio', { label: '2 low' }); await page.selectOption('#p-owner', { index: 1 });
  await page.click('button:has-text("Save")'); await page.waitForLoadState();
  await page.waitForFunction(() => document.querySelector('.meta')?.textContent?.includes('2 low'), null, { timeout: 8000 }).catch(() => {});
  check(tag + ' properties saved', ((await page.locator('.meta').textContent()) ?? '').includes('2 low'), await page.locator('[role=alert]').allTextContents());
  const pendingState = await page.locator('#p-state option[data-pending]').first().getAttribute('value');
  await page.selectOption('#p-state', pendingState);
  check(tag + ' pending field visible', await page.locator('#p-pending').isVisible());
  await page.fill('#p-pending', js ? '2026-12-01T09:30' : '2026-12-02T10:00'); await page.click('button:has-text("Save")'); await page.waitForLoadState();
  await page.waitForFunction(() => document.querySelector('.meta')?.textContent?.includes('Pending'), null, { timeout: 8000 }).catch(() => {});
  check(tag + ' pending state saved', ((await page.locator('.meta').textContent()) ?? '').includes('Pending'), await page.locator('[role=alert]').allTextContents());
  await page.click('.lockbox button'); await page.waitForTimeout(800);
  const lockText = await page.locator('.lockbox').textContent();
  await page.click('.lockbox button'); await page.waitForTimeout(800);
  check(tag + ' lock toggles', lockText !== (await page.locator('.lockbox').textContent()), lockText);
  await page.reload();
  check(tag + ' views recorded', !((await page.locator('summary:has-text("Viewed by")').textContent()) ?? '(0)').includes('(0)'));
  await page.goto(base + '/agent/tickets/new');
  await page.fill('#n-title', 'Created by test ' + tag); await page.fill('#n-body', 'body'); await page.fill('#n-email', 'new.customer@example.org'); await page.fill('#n-name', 'Nora New'); await page.selectOption('#n-queue', { index: 1 });
  await Promise.all([page.waitForURL(/tickets\/\d+$/, { timeout: 8000 }).catch(() => {}), page.click('button[type=submit]:has-text("Create")')]);
  check(tag + ' created ticket', ((await page.locator('h1').textContent()) ?? '').includes('Created by test'), await page.locator('[role=alert]').allTextContents());
  await page.click('button:has-text("Sign out")'); await page.waitForURL(/\/login/);
  await page.goto(base + '/portal');
  await page.fill('input[name=email]', CUSTOMER); await page.fill('input[name=password]', PW);
  await Promise.all([page.waitForURL(/\/portal$/), page.click('.login-card button[type=submit]')]);
  check(tag + ' portal login + list', (await page.locator('a.ticket-link').count()) > 0);
  await page.goto(base + '/portal/new');
  await page.fill('#p-title', 'Portal req ' + tag); await page.fill('#p-body', 'help');
  await Promise.all([page.waitForURL(/created=1/, { timeout: 8000 }).catch(() => {}), page.click('button[type=submit]:has-text("Send")')]);
  check(tag + ' portal create', (await page.locator('.notice-success').count()) === 1, await page.locator('[role=alert]').allTextContents());
  const n = await page.locator('.thread > li').count();
  await page.fill('#r-body', 'thanks'); await page.click('button:has-text("Send")'); await page.waitForTimeout(800);
  check(tag + ' portal reply', (await page.locator('.thread > li').count()) === n + 1, await page.locator('[role=alert]').allTextContents());
  await page.click('button:has-text("Close ticket")'); await page.waitForTimeout(800);
  check(tag + ' portal close', ((await page.locator('.meta').textContent()) ?? '').includes('Closed'), await page.locator('[role=alert]').allTextContents());
  await ctx.clearCookies();
  if (PROVIDER_TOKEN) {
  await page.goto(base + '/provider/login');
  await page.fill('input[name=token]', PROVIDER_TOKEN); await Promise.all([page.waitForURL(/\/provider$/), page.click('form.box button')]);
  check(tag + ' provider tenants', (await page.locator('tbody tr').count()) >= 1);
  await page.fill('#o-slug', 'initech' + (js ? 'a' : 'b') + Date.now() % 1000); await page.fill('#o-name', 'Initech'); await page.fill('#o-email', 'a@i.test'); await page.fill('#o-pw', 'longpassword1');
  await page.click('button:has-text("Onboard a tenant")'); await page.waitForTimeout(1500);
  check(tag + ' onboard', (await page.locator('.notice-success').count()) === 1, await page.locator('[role=alert]').allTextContents());
  }
  await ctx.close();
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
