import type { Browser, BrowserContext, Page } from 'playwright-core';
import { horizontalOverflow, launchBrowser, phonePage } from '../../support/browser';
import { call, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/**
 * /signup, /activate and /reset-password in German and Spanish at a phone's width: the pages' own texts and their
 * scripts' messages (strength feedback, refusals, the next steps) are in the chosen language and fit the screen.
 */
describe('the public pages in German and Spanish', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ env: { DEVICE_CLIENT_IDS: 'applicaster-tv=Acme TV', REGISTRATION_EXTRA_FIELDS: 'companyName:string:80' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors: pageErrors } = await phonePage(browser));
    await page.setViewportSize({ width: 390, height: 900 });
  });
  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it('creates an account in German: labels, strength feedback, a refusal and the inbox step', async () => {
    const email = uniqueEmail();
    await page.goto(`${stack.url}/signup?lang=de`);
    await page.getByRole('heading', { name: 'Konto erstellen' }).waitFor();
    expect(await page.getByText('(optional)').first().isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Konto erstellen' }).click();
    expect(await page.locator('#signup-form-error').textContent()).toBe('Bitte füllen Sie die markierten Felder aus.');
    expect(await page.locator('#firstName-error').textContent()).toBe('Geben Sie Ihren Vornamen ein.');

    await page.getByLabel('Vorname').fill('Erika');
    await page.getByLabel('Nachname').fill('Mustermann');
    await page.getByLabel('E-Mail', { exact: true }).fill(email);
    await page.getByLabel('Passwort', { exact: true }).fill('kurz');
    expect(await page.locator('#password-strength').textContent()).toMatch(/^Zu kurz: Es fehlen noch \d+ Zeichen\.$/);
    await page.getByLabel('Passwort', { exact: true }).fill(STRONG_PASSWORD);
    expect(await page.locator('#password-strength').textContent()).toMatch(/^(Lang genug|Gute Länge)/);
    expect(await horizontalOverflow(page)).toBe(0);

    await page.getByRole('button', { name: 'Konto erstellen' }).click();
    await page.getByRole('heading', { name: 'Prüfen Sie Ihr Postfach' }).waitFor();
    expect(await page.locator('#inbox-email').textContent()).toBe(email);
    await page.getByRole('button', { name: 'Neuen Link senden' }).click();
    await page.locator('#resend-status').getByText(`Ein neuer Link ist unterwegs an ${email}`).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);

    // The same address again: the API's email_taken is shown in German under the field.
    await page.goto(`${stack.url}/signup?lang=de`);
    await page.getByLabel('Vorname').fill('Erika');
    await page.getByLabel('Nachname').fill('Mustermann');
    await page.getByLabel('E-Mail', { exact: true }).fill(email);
    await page.getByLabel('Passwort', { exact: true }).fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Konto erstellen' }).click();
    await page.locator('#email-error:not(:empty)').waitFor();
    expect(await page.locator('#email-error').textContent()).toMatch(/^Zu dieser E-Mail-Adresse gibt es bereits ein Konto/);
  });

  it('shows the Spanish sign-up page with its strength feedback', async () => {
    await page.goto(`${stack.url}/signup?lang=es`);
    await page.getByRole('heading', { name: 'Cree su cuenta' }).waitFor();
    await page.getByLabel('Apellidos').waitFor();
    await page.getByLabel('Contraseña').fill('x');
    expect(await page.locator('#password-strength').textContent()).toMatch(/^Demasiado corta: faltan \d+ caracteres\.$/);
    expect(await horizontalOverflow(page)).toBe(0);
  });

  it.each([
    ['de', 'Fernseher verbinden', 'Code von Ihrem Fernseher', 'Dieser Code ist ungültig'],
    ['es', 'Conecte su televisor', 'Código de su televisor', 'Este código no es válido'],
  ])('/activate in %s: the code prompt and a refused code in the language', async (lang, title, label, refusal) => {
    await page.goto(`${stack.url}/activate?lang=${lang}`);
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByLabel(label).fill('BCDF-GHJK');
    await page.locator('#code-submit').click();
    await page.locator('#code-form-error:not(:empty)').waitFor();
    expect(await page.locator('#code-form-error').textContent()).toMatch(new RegExp(`^${refusal}`));
    expect(await horizontalOverflow(page)).toBe(0);
  });

  it('/activate in German shows the TV app and the approve step', async () => {
    const device = await call(stack.url, 'POST', '/oauth/device_authorization', {
      body: new URLSearchParams({ client_id: 'applicaster-tv' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await page.goto(`${String(device.body.verification_uri_complete)}&lang=de`);
    await page.getByText('Acme TV', { exact: true }).waitFor();
    expect(await page.locator('#step-approve').textContent()).toContain('möchte sich bei Ihrem Konto anmelden');
    await page.getByRole('button', { name: 'Anmeldung abbrechen' }).click();
    await page.getByRole('heading', { name: 'Anmeldung abgebrochen' }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
  });

  it.each([
    ['de', 'Passwort zurücksetzen', 'Link senden', 'Prüfen Sie Ihre E-Mails', 'Geben Sie Ihre E-Mail-Adresse ein.'],
    ['es', 'Restablezca su contraseña', 'Enviarme un enlace', 'Revise su correo electrónico', 'Introduzca su dirección de correo electrónico.'],
  ])('/reset-password in %s: asks for the email, names what is missing, and sends the link', async (lang, title, button, sent, missing) => {
    await page.goto(`${stack.url}/reset-password?lang=${lang}`);
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByRole('button', { name: button }).click();
    expect(await page.locator('#email-error').textContent()).toBe(missing);
    await page.locator('#email').fill(uniqueEmail());
    await page.getByRole('button', { name: button }).click();
    await page.getByRole('heading', { name: sent }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
  });

  it('/reset-password in German explains an unusable link in German', async () => {
    await page.goto(`${stack.url}/reset-password?lang=de&token=not.a-real-token`);
    await page.getByRole('heading', { name: 'Dieser Link kann nicht verwendet werden' }).waitFor();
    expect(await page.locator('#link-problem').textContent()).toMatch(/^Dieser Link zum Zurücksetzen des Passworts/);
    expect(await page.getByRole('button', { name: 'Neuen Link senden' }).isVisible()).toBe(true);
    expect(await horizontalOverflow(page)).toBe(0);
  });
});
