import type { Browser, BrowserContext, Page } from 'playwright-core';
import { horizontalOverflow, launchBrowser, phonePage } from '../../support/browser';
import { call, post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { latestVerifyToken } from '../../support/verification';

/**
 * /signup, /activate, /reset-password, /verify-email and /login in German and Spanish at a phone's width: the pages' own texts and their
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
    ['de', 'Fernseher verbinden', 'Code von Ihrem Fernseher', 'Dieser Code ist ungültig', 'Bitte korrigieren Sie das markierte Feld.'],
    ['es', 'Conecte su televisor', 'Código de su televisor', 'Este código no es válido', 'Corrija el campo marcado.'],
  ])('/activate in %s: the code prompt and a refused code in the language', async (lang, title, label, refusal, correct) => {
    await page.goto(`${stack.url}/activate?lang=${lang}`);
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByLabel(label).fill('BCDF-GHJK');
    await page.locator('#code-submit').click();
    await page.locator('#user_code-error:not(:empty)').waitFor();
    // One error, once: the field says it, the form-level line points at the field.
    expect(await page.locator('#user_code-error').textContent()).toMatch(new RegExp(`^${refusal}`));
    expect(await page.locator('#code-form-error').textContent()).toBe(correct);
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

  it.each([
    ['de', 'signup', '#signup-form-error', 'state_invalid', 'Diese Anmeldung ist abgelaufen oder wurde bereits verwendet. Bitte beginnen Sie erneut.'],
    ['es', 'signup', '#signup-form-error', 'provider_unavailable', 'Este método de inicio de sesión no está disponible ahora. Inicie sesión de otra forma.'],
    ['de', 'login', '#form-error', 'provider_refused', 'Der Anbieter hat die Anmeldung nicht abgeschlossen. Bitte versuchen Sie es erneut.'],
    ['es', 'account', '#sign-in-error', 'invalid_id_token', 'No se pudo aceptar el inicio de sesión con el proveedor. Inténtelo de nuevo.'],
  ])('in %s, /%s explains a failed provider sign-in in the language', async (lang, path, slot, code, sentence) => {
    await page.goto(`${stack.url}/${path}?lang=${lang}#federated_error=${code}`);
    await page.locator(`${slot}:not(:empty)`).waitFor();
    expect(await page.locator(slot).textContent()).toBe(sentence);
    expect(await horizontalOverflow(page)).toBe(0);
  });

  it.each([
    [
      'de',
      'Konto erstellen',
      'Bitte korrigieren Sie die markierten Felder.',
      'Geben Sie eine gültige E-Mail-Adresse ein',
      'Wählen Sie ein anderes Passwort: mindestens 8 Zeichen',
    ],
    ['es', 'Crear cuenta', 'Corrija los campos marcados.', 'Introduzca una dirección de correo válida', 'Elija otra contraseña: al menos 8 caracteres'],
  ])('/signup in %s: the API field errors and a network failure are said in the language', async (lang, button, form, email, password) => {
    await page.goto(`${stack.url}/signup?lang=${lang}`);
    await page.locator('#firstName').fill('Erika');
    await page.locator('#lastName').fill('Mustermann');
    await page.locator('#email').fill('erika@');
    await page.locator('#password').fill('password');
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.locator('#password-error:not(:empty)').waitFor();
    expect(await page.locator('#signup-form-error').textContent()).toBe(form);
    expect(await page.locator('#email-error').textContent()).toMatch(new RegExp(`^${email}`));
    expect(await page.locator('#password-error').textContent()).toMatch(new RegExp(`^${password}`));
    expect(await horizontalOverflow(page)).toBe(0);

    await page.route('**/login-flow/register**', (route) => route.abort());
    await page.locator('#email').fill(uniqueEmail());
    await page.locator('#password').fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: button, exact: true }).click();
    await page
      .locator('#signup-form-error')
      .filter({ hasText: lang === 'de' ? /nicht erreichbar/ : /No se pudo contactar/ })
      .waitFor();
  });

  it('/login in German says a wrong password in German', async () => {
    await page.goto(`${stack.url}/login?lang=de`);
    await page.locator('#email').fill(uniqueEmail());
    await page.locator('#password').fill('not-the-password');
    await page.locator('#submit').click();
    await page.locator('#form-error:not(:empty)').waitFor();
    expect(await page.locator('#form-error').textContent()).toBe('E-Mail-Adresse oder Passwort ist falsch.');
  });

  it('/verify-email in Spanish: an unusable link, the new-link form, a network failure and the confirmation', async () => {
    await page.goto(`${stack.url}/verify-email?lang=es&token=not.a-real-token`);
    await page.getByRole('heading', { name: 'Este enlace no se puede usar' }).waitFor();
    expect(await page.locator('#link-problem').textContent()).toMatch(/^Este enlace de confirmación no es válido/);
    await page.getByRole('button', { name: 'Enviar un enlace nuevo' }).click();
    expect(await page.locator('#email-error').textContent()).toBe('Introduzca su dirección de correo electrónico.');
    await page.route('**/verify-email/resend', (route) => route.abort());
    await page.locator('#email').fill(uniqueEmail());
    await page.getByRole('button', { name: 'Enviar un enlace nuevo' }).click();
    await page.locator('#request-form-error:not(:empty)').waitFor();
    expect(await page.locator('#request-form-error').textContent()).toBe('No se pudo contactar con el servicio. Compruebe su conexión e inténtelo de nuevo.');
    await page.unroute('**/verify-email/resend');
    await page.getByRole('button', { name: 'Enviar un enlace nuevo' }).click();
    await page.getByRole('heading', { name: 'Revise su correo electrónico' }).waitFor();
    expect(await page.locator('#done-text').textContent()).toMatch(/^Si .+ pertenece a una cuenta que aún no está confirmada/);

    const account = registration();
    expect((await post(stack.url, '/login-flow/register', account)).status).toBe(200);
    await page.goto(`${stack.url}/verify-email?lang=es&token=${latestVerifyToken(stack.outboxDir, String(account.email))}`);
    await page.route('**/verify-email/confirm', (route) => route.abort());
    await page.getByRole('button', { name: 'Confirmar mi correo electrónico' }).click();
    await page.locator('#confirm-form-error:not(:empty)').waitFor();
    expect(await page.locator('#confirm-form-error').textContent()).toMatch(/^No se pudo contactar con el servicio/);
    await page.unroute('**/verify-email/confirm');
    await page.getByRole('button', { name: 'Confirmar mi correo electrónico' }).click();
    await page.getByRole('heading', { name: 'Correo electrónico confirmado' }).waitFor();
    expect(await page.locator('#done-text').textContent()).toBe('Su dirección de correo electrónico está confirmada.');
    expect(await horizontalOverflow(page)).toBe(0);
  });

  it('/verify-email in German explains an unusable link in German', async () => {
    await page.goto(`${stack.url}/verify-email?lang=de&token=not.a-real-token`);
    await page.getByRole('heading', { name: 'Dieser Link kann nicht verwendet werden' }).waitFor();
    expect(await page.locator('#link-problem').textContent()).toMatch(/^Dieser Bestätigungslink ist ungültig/);
    await page.getByRole('button', { name: 'Neuen Link senden' }).click();
    expect(await page.locator('#request-form-error').textContent()).toBe('Bitte füllen Sie das markierte Feld aus.');
  });
});
