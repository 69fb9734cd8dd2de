// Headless Chromium for browser tests: Debian's /usr/bin/chromium (package chromium) driven by
// playwright-core, which cannot download browsers here. Playwright gives each launch a fresh,
// temporary profile (--user-data-dir) and deletes it on close.
import { chromium } from 'playwright-core';
import type { Browser, LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PARLEY_CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
