import type { Browser, BrowserContext, Page } from 'playwright-core';
import { horizontalOverflow } from '../../support/browser';
import { browserSuite } from '../../support/browser-suite';
import { call } from '../../support/http';
import type { TestStack } from '../../support/local-stack';

/**
 * The language switcher and the brand, as a person sees them: a choice on /login is remembered on /account and on
 * the home page, Accept-Language decides before any choice, the brand's name, logo, colors and footer links are on
 * every page, and the German texts (the longest words) fit a phone's screen.
 */
const BRAND = {
  productName: 'Acme ID',
  logoUrl: 'https://cdn.acme.example/logo.svg',
  primaryColor: '#0b5394',
  accentColor: '#6a1b9a',
  supportUrl: 'https://acme.example/help',
  termsUrl: 'https://acme.example/terms',
  privacyUrl: 'https://acme.example/privacy',
};
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="24"><rect width="80" height="24" fill="#0b5394"/></svg>';

describe('languages and brand in a browser', () => {
  const suite = browserSuite({ env: { BRAND_JSON: JSON.stringify(BRAND) } });
  let stack: TestStack;
  let page: Page;
  let context: BrowserContext;
  let browser: Browser;
  beforeEach(async () => {
    ({ stack, page, context, browser } = suite);
    // The logo's origin does not exist here: serve it, so that the CSP's img-src for it is exercised.
    await context.route('https://cdn.acme.example/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO }));
  });

  it.each([390, 1280])('switches /login to German at %i px and remembers it on /account and the home page', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${stack.url}/login`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByRole('navigation', { name: 'Change the language' }).getByRole('link', { name: 'Deutsch' }).click();

    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.getByRole('link', { name: 'Deutsch' }).getAttribute('aria-current')).toBe('true');
    expect(await horizontalOverflow(page)).toBe(0);

    await page.goto(`${stack.url}/account`);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
    await page.getByLabel('Passwort', { exact: true }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);

    await page.goto(`${stack.url}/`);
    await page.getByRole('heading', { name: 'Willkommen' }).waitFor();

    await page.getByRole('link', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Bienvenido' }).waitFor();
    await page.goto(`${stack.url}/login`);
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
  });

  it('the German login page signs in with its script (messages from the page data) and shows the refusal', async () => {
    await page.goto(`${stack.url}/login?lang=de`);
    await page.getByLabel('E-Mail').fill('nobody@example.com');
    await page.getByLabel('Passwort').fill('wrong password 123');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.locator('#form-error:not(:empty)').waitFor();
    expect(await page.locator('#form-error').textContent()).not.toBe('');
  });

  it('follows Accept-Language when nothing was chosen, and falls back to English for a language it lacks', async () => {
    const spanish = await browser.newContext({ locale: 'es-ES', extraHTTPHeaders: { 'Accept-Language': 'es-ES,es;q=0.9,en;q=0.5' } });
    const french = await browser.newContext({ extraHTTPHeaders: { 'Accept-Language': 'fr-FR,fr;q=0.9' } });
    try {
      const es = await spanish.newPage();
      await es.goto(`${stack.url}/`);
      await es.getByRole('heading', { name: 'Bienvenido' }).waitFor();
      const fr = await french.newPage();
      await fr.goto(`${stack.url}/`);
      await fr.getByRole('heading', { name: 'Welcome' }).waitFor();
    } finally {
      await spanish.close();
      await french.close();
    }
  });

  it.each([390, 1280])('shows the brand at %i px: name in the title, logo with its name, colors on the button and links, footer links', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${stack.url}/login`);
    expect(await page.title()).toBe('Sign in · Acme ID');
    const logo = page.getByRole('img', { name: 'Acme ID' });
    await logo.waitFor();
    expect(
      await page.evaluate<boolean>("(() => { const image = document.querySelector('.brand-home img'); return image.complete && image.naturalWidth > 0; })()"),
    ).toBe(true);
    expect(await page.evaluate<string>("getComputedStyle(document.getElementById('submit')).backgroundColor")).toBe('rgb(11, 83, 148)');
    expect(await page.getByRole('link', { name: 'Terms' }).getAttribute('href')).toBe(BRAND.termsUrl);
    expect(await page.getByRole('link', { name: 'Privacy' }).getAttribute('href')).toBe(BRAND.privacyUrl);
    expect(await page.getByRole('link', { name: 'Help and support' }).getAttribute('href')).toBe(BRAND.supportUrl);
    expect(await horizontalOverflow(page)).toBe(0);
  });

  it('starts the TV sentence with a capital letter when the app has no display name ("Your TV app asks to sign in")', async () => {
    const device = await call(stack.url, 'POST', '/oauth/device_authorization', {
      body: new URLSearchParams({ client_id: 'applicaster-tv' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await page.goto(String(device.body.verification_uri_complete));
    await page.locator('#client-name:not(:empty)').waitFor();
    expect(await page.locator('#client-name').textContent()).toBe('Your TV app');
  });
});
