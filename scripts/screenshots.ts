/**
 * `npm run screenshots`: pictures of the pages people use, at a phone's width
 * (390 px) and a desktop's (1280 px), written to docs/screenshots/ for
 * docs/screenshots.md. It starts its own throwaway local stack (DynamoDB Local
 * in memory, the partner simulators), creates the demo user and operator, signs
 * them in through the pages as a person would, and creates an API credential
 * so the developer portal shows real content. Needs Java and Chromium, like
 * the tests.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seedDemoAccounts } from '../local/seed';
import { startLocalStack } from '../local/stack';
import { launchBrowser } from '../test/support/browser';

const OUT_DIR = join(__dirname, '..', 'docs', 'screenshots');
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 860 },
] as const;

/** The public pages, as a person opens them from the home page or an email. */
const PUBLIC_PAGES = [
  { file: 'home', path: '/' },
  { file: 'login', path: '/login' },
  { file: 'signup', path: '/signup' },
  { file: 'activate', path: '/activate' },
  { file: 'reset-password', path: '/reset-password' },
  { file: 'login-german', path: '/login?lang=de' },
] as const;

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('#sign-in-form button[type="submit"]').click();
}

async function capture(browser: Browser, url: string, file: string, act?: (page: Page) => Promise<void>): Promise<void> {
  for (const size of WIDTHS) {
    const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      await act?.(page);
      // The first screen as a person sees it on arrival, whatever the last action focused.
      await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur(); window.scrollTo(0, 0)');
      await page.screenshot({ path: join(OUT_DIR, `${file}-${size.width}.png`), fullPage: size.name === 'desktop' });
      console.log(`  ${file}-${size.width}.png`);
    } finally {
      await context.close();
    }
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loginbridge-screenshots-'));
  mkdirSync(OUT_DIR, { recursive: true });
  // The demo operator opens the console at once: the two-factor policy would first walk them through enrolment.
  const stack = await startLocalStack({ port: 0, dataDir, inMemory: true, env: { LOG_LEVEL: 'SILENT', FACTOR_POLICY_ENFORCED: 'false' } });
  let browser: Browser | undefined;
  try {
    const [user, operator] = await seedDemoAccounts(stack, dataDir);
    browser = await launchBrowser();
    for (const { file, path } of PUBLIC_PAGES) await capture(browser, `${stack.url}${path}`, file);
    await capture(browser, `${stack.url}/account`, 'account', async (page) => {
      await signIn(page, user.email, user.password);
      await page.locator('#account').waitFor({ state: 'visible' });
      await page.waitForLoadState('networkidle');
    });
    await capture(browser, `${stack.url}/portal`, 'portal', async (page) => {
      await signIn(page, operator.email, operator.password);
      await page.getByRole('heading', { name: 'API credentials' }).waitFor();
      // A credential made the way a developer makes one; each width's run adds its own.
      await page.getByLabel('Name', { exact: true }).fill(`Billing service (${page.viewportSize()?.width} px)`);
      await page.getByLabel('Name', { exact: true }).press('Enter');
      await page.getByRole('button', { name: 'I have stored the secret' }).click();
      await page.waitForLoadState('networkidle');
    });
  } finally {
    await browser?.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
