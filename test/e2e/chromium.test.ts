import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';

describe('headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders a page and reads its title and text', async () => {
    const page = await browser.newPage();
    const html = '<!doctype html><title>Parley check</title><p id="msg">Hello from Chromium</p>';
    await page.goto(`data:text/html,${encodeURIComponent(html)}`);
    expect(await page.title()).toBe('Parley check');
    expect(await page.textContent('#msg')).toBe('Hello from Chromium');
    await page.close();
  });
});
