import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it. Override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Headless Chromium with no network beyond loopback and no background chatter. */
export function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new page at `url` whose Content-Security-Policy complaints in the console are collected into `cspViolations`. */
export async function openWatchingCsp(browser: Browser, url: string, cspViolations: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(url);
  return page;
}

/**
 * A fresh context and page at a phone's width (390 x 844) that collects script errors and CSP refusals into `errors`:
 * a test opens one in beforeEach and, after closing `context`, expects `errors` to be empty.
 */
export function phonePage(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  return desktopPage(browser, { viewport: { width: 390, height: 844 } });
}

/**
 * The same at the browser's desktop size (1280 x 720), or with the given context options
 * (another viewport, downloads, no CSP): every browser test opens its pages through this or phonePage.
 */
export async function desktopPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && /Content Security Policy|Refused/i.test(message.text()) && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/** How far the page is wider than the screen, in CSS pixels (0: no horizontal scrolling). */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
