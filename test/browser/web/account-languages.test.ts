import type { BrowserContext, Page } from 'playwright-core';
import { horizontalOverflow } from '../../support/browser';
import { browserSuite } from '../../support/browser-suite';
import { post, registration } from '../../support/http';
import type { TestStack } from '../../support/local-stack';

/** The signed-in account page in the visitor's language, and in the account's own when the visitor chose none, at a phone's width. */
describe('/account signed in, in German and Spanish, in a browser', () => {
  const suite = browserSuite();
  let stack: TestStack;
  let page: Page;
  let context: BrowserContext;
  beforeEach(() => ({ stack, page, context } = suite));

  async function signIn(path: string, account: Record<string, unknown>, signInLabel: string): Promise<void> {
    await page.goto(`${stack.url}${path}`);
    await page.locator('#email').fill(String(account.email));
    await page.locator('#password').fill(String(account.password));
    await page.getByRole('button', { name: signInLabel, exact: true }).click();
    await page.locator('#session-list li').nth(1).waitFor();
  }

  it('shows every section heading in German, the sessions with German dates, and nothing wider than 390 px', async () => {
    // Prepare: an app's sign-in first, so the list has two sessions
    const account = registration();
    expect((await post(stack.url, '/login-flow/register', account)).status).toBe(200);

    // Act
    await signIn('/account?lang=de', account, 'Anmelden');
    const headings = await page.locator('#account section > h2').allTextContents();
    const cards = await page.locator('#session-list li').allTextContents();
    const factorsEmpty = await page.locator('#factor-list').textContent();
    const overflow = await horizontalOverflow(page);

    // Assess
    expect(headings).toEqual([
      'Profil',
      'Passwort ändern',
      'E-Mail-Adresse ändern',
      'Meine Daten',
      'Sicherheit',
      'Verknüpfte Anmeldemethoden',
      'Ihre Sitzungen und Geräte',
      'Mein Konto löschen',
    ]);
    // German medium date (07.12.2026, 14:05), a relative "last used" and the German words around them.
    expect(cards.every((text) => /Angemeldet \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} mit Passwort( aus dem Netz \S+)? · zuletzt verwendet .+/.test(text))).toBe(true);
    expect(cards.filter((text) => text.includes('dieses Gerät'))).toHaveLength(1);
    expect(factorsEmpty).toContain('Noch kein zweiter Faktor');
    expect(await page.getByRole('button', { name: 'Überall sonst abmelden' }).isVisible()).toBe(true);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("switches to the account's language (Spanish) after sign-in when the visitor chose none, without signing out", async () => {
    // Prepare: registered in Spanish; the browser asks for English and has no lang cookie
    const account = registration();
    expect((await post(stack.url, '/login-flow/register?lang=es', account)).status).toBe(200);

    // Act
    await signIn('/account', account, 'Sign in');
    await page.getByRole('heading', { name: 'Sus sesiones y dispositivos' }).waitFor();
    const lang = await page.locator('html').getAttribute('lang');
    const cards = await page.locator('#session-list li').allTextContents();
    const cookies = await context.cookies();

    // Assess
    expect(lang).toBe('es');
    expect(await page.getByRole('heading', { name: 'Perfil', exact: true }).isVisible()).toBe(true);
    expect(cards.every((text) => text.startsWith('Aplicación') && text.includes('Sesión iniciada'))).toBe(true);
    expect(await page.locator('#who').isVisible()).toBe(true);
    expect(cookies.filter((cookie) => cookie.name === 'lang')).toEqual([]);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('keeps the language the visitor chose (the lang cookie) over the account’s', async () => {
    // Prepare
    const account = registration();
    expect((await post(stack.url, '/login-flow/register?lang=es', account)).status).toBe(200);
    await context.addCookies([{ name: 'lang', value: 'en', url: stack.url }]);

    // Act
    await signIn('/account', account, 'Sign in');
    const lang = await page.locator('html').getAttribute('lang');

    // Assess
    expect(lang).toBe('en');
    expect(await page.getByRole('heading', { name: 'Your sessions and devices' }).isVisible()).toBe(true);
  });
});
