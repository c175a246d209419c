import type { Browser } from 'playwright-core';
import { desktopPage, horizontalOverflow, launchBrowser } from '../../support/browser';
import { startTestStack, type TestStack } from '../../support/local-stack';

/**
 * Every page a person opens, as served (the first screen of each), at a phone's and a desktop's width: no horizontal
 * overflow, and axe-core finds no serious or critical accessibility violation. axe is injected, which the pages'
 * strict CSP would refuse, so this context bypasses CSP; the CSP itself is asserted by each page's own tests.
 */
const PAGES = [
  '/',
  '/login',
  '/login?partner=acronis',
  '/signup',
  '/account',
  '/account/email-change',
  '/portal',
  '/activate',
  '/reset-password',
  '/verify-email',
];
const WIDTHS = [390, 1280];
// English, and the two other languages (German has the longest words): each page is checked in each.
const LANGUAGES = ['en', 'de', 'es'];
const inLanguage = (path: string, lang: string) => (lang === 'en' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: unknown[];
}

describe('every page, at 390 and 1280 px, in English, German and Spanish', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it.each(LANGUAGES.flatMap((lang) => WIDTHS.flatMap((width) => PAGES.map((page) => [inLanguage(page, lang), width, lang] as const))))(
    '%s at %i px (%s) fits the screen and has no serious accessibility violation',
    async (path, width, lang) => {
      const { context, page } = await desktopPage(browser, { viewport: { width, height: 900 }, bypassCSP: true });
      try {
        const response = await page.goto(`${stack.url}${path}`);
        expect(response?.status()).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await page.waitForLoadState('networkidle');

        const overflow = await horizontalOverflow(page);
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const violations = await page.evaluate<AxeViolation[]>(
          'axe.run(document, { resultTypes: ["violations"] }).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) })))',
        );

        expect({ path, width, overflow }).toEqual({ path, width, overflow: 0 });
        expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});
