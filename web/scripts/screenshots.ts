// Takes screenshots of the main screens of a running Parley web app with headless Chromium.
//   WEB_URL=http://localhost:3000 AGENT_EMAIL=... AGENT_PASSWORD=... node scripts/screenshots.ts [outDir]
// Optional: CUSTOMER_EMAIL/CUSTOMER_PASSWORD for the portal, PROVIDER_TOKEN for /provider,
// TICKET_NUMBER for the ticket view (default: the first ticket in the list).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const base = process.env.WEB_URL ?? 'http://localhost:3000';
const out = process.argv[2] ?? 'screenshots';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
});

async function shot(page: Page, name: string, fullPage = true) {
	const file = join(out, `${name}.png`);
	await page.screenshot({ path: file, fullPage });
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	console.log(file, overflow > 0 ? `(overflows horizontally by ${overflow}px)` : '');
}

async function login(page: Page, path: string, email: string, password: string) {
	await page.goto(`${base}${path}`);
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.click('button[type=submit]')]);
}

const sizes = [
	{ tag: 'desktop', viewport: { width: 1440, height: 900 } },
	{ tag: 'phone', viewport: { width: 390, height: 844 } }
];

for (const { tag, viewport } of sizes) {
	const context = await browser.newContext({ viewport, locale: process.env.LOCALE ?? 'en-US' });
	const page = await context.newPage();
	await page.goto(`${base}/login`);
	await shot(page, `${tag}-login`);
	if (process.env.AGENT_EMAIL) {
		await login(page, '/login', process.env.AGENT_EMAIL, process.env.AGENT_PASSWORD ?? '');
		await page.goto(`${base}/agent`);
		await shot(page, `${tag}-agent-overview`);
		await page.goto(`${base}/agent/tickets`);
		await shot(page, `${tag}-agent-tickets`);
		const number = process.env.TICKET_NUMBER ?? (await page.locator('td.c-title a').first().getAttribute('href'))?.split('/').pop();
		if (number) {
			await page.goto(`${base}/agent/tickets/${number}`);
			await shot(page, `${tag}-agent-ticket`);
			if (tag === 'desktop') {
				await page.keyboard.press('n');
				await page.keyboard.press('Escape');
				await page.keyboard.press('?');
				await shot(page, `${tag}-agent-ticket-help`, false);
				await page.keyboard.press('Escape');
			}
		}
		await page.goto(`${base}/agent/tickets/new`);
		await shot(page, `${tag}-agent-new`);
		await page.goto(`${base}/admin`);
		await shot(page, `${tag}-admin`);
		await context.clearCookies();
	}
	if (process.env.CUSTOMER_EMAIL) {
		await login(page, '/portal/login', process.env.CUSTOMER_EMAIL, process.env.CUSTOMER_PASSWORD ?? '');
		await page.goto(`${base}/portal`);
		await shot(page, `${tag}-portal-tickets`);
		const href = await page.locator('a.ticket-link').first().getAttribute('href');
		if (href) {
			await page.goto(`${base}${href}`);
			await shot(page, `${tag}-portal-ticket`);
		}
		await page.goto(`${base}/portal/new`);
		await shot(page, `${tag}-portal-new`);
		await context.clearCookies();
	}
	if (process.env.PROVIDER_TOKEN) {
		await page.goto(`${base}/provider/login`);
		await shot(page, `${tag}-provider-login`);
		await page.fill('input[name=token]', process.env.PROVIDER_TOKEN);
		await Promise.all([page.waitForURL((u) => u.pathname === '/provider'), page.click('button[type=submit]')]);
		await shot(page, `${tag}-provider`);
	}
	await context.close();
}
await browser.close();
