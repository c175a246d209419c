import { createHash, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { type AppleSimulator, startAppleSimulator } from '../../../local/simulators/apple';
import { type GoogleSimulator, startGoogleSimulator } from '../../../local/simulators/google';
import { launchBrowser, phonePage } from '../../support/browser';
import { enrolTotp, freshCode } from '../../support/factors';
import { call, post, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/** "Continue with Apple / Google" in Chromium, through the simulators' consent pages (docs/native-sign-in.md, "Web pages"). */
describe('Web sign-in with Apple and Google in a browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let apple: AppleSimulator;
  let google: GoogleSimulator;

  beforeAll(async () => {
    apple = await startAppleSimulator();
    google = await startGoogleSimulator();
    stack = await startTestStack({
      env: {
        DEVICE_CLIENT_IDS: 'applicaster-tv=Acme TV',
        ...apple.stackEnv(),
        ...google.stackEnv(),
      },
    });
    apple.addRedirectUri(`${stack.url}/login-flow/web-sign-in/apple/callback`);
    google.addRedirectUri(`${stack.url}/login-flow/web-sign-in/google/callback`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await apple?.stop();
    await google?.stop();
  });

  it('signs in with Google on /login and opens Astrato', async () => {
    const { context, page, errors } = await phonePage(browser);
    await page.goto(`${stack.url}/login`);
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await page.getByLabel('Email').fill(uniqueEmail('browser-google'));
    await page.locator('#consent').click();
    const astrato = stack.partners.find((partner) => partner.name === 'astrato')?.env.ASTRATO_BASE_URL as string;
    await page.waitForURL((url) => url.href.startsWith(astrato), { timeout: 15_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  /** A Google account (made by the native route with the subject the simulator's consent page gives the address) with an authenticator app. */
  async function googleAccountWithApp(label: string): Promise<{ email: string; secret: string }> {
    const email = uniqueEmail(label);
    const nonce = randomBytes(16).toString('base64url');
    const sub = `sim-${createHash('sha256').update(email).digest('base64url').slice(0, 16)}`;
    const idToken = await google.mintGoogleIdToken({ sub, email, emailVerified: true, nonce });
    const created = await post(stack.url, '/login-flow/login/google', { idToken, nonce });
    expect(created.status).toBe(200);
    const { secret } = await enrolTotp(stack.url, String(created.body.access_token));
    return { email, secret };
  }

  /** On /account after Google: the code prompt, a wrong code refused (still signed out), the right one signs in. */
  async function accountAsksForTheCode(page: Page, email: string, secret: string): Promise<void> {
    await page.waitForURL(`${stack.url}/account`, { timeout: 15_000 });
    // The sign-in form's field (the step-up dialog has one with the same label).
    const codeField = page.locator('#sign-in-form').getByLabel('Code from your authenticator app');
    await codeField.waitFor({ timeout: 15_000 });
    await codeField.fill('000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#otp-error').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#account').isHidden()).toBe(true);

    await codeField.fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#who-email').filter({ hasText: email }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#account').isVisible()).toBe(true);
  }

  // /signup's buttons continue on /account; /account's own sign-in step has them too.
  it.each(['/signup', '/account'])(
    'asks an account with an authenticator app for its code after Google from %s, refuses a wrong one and signs in on /account with the right one',
    async (path) => {
      const { email, secret } = await googleAccountWithApp(`browser${path.replace('/', '-')}-totp`);
      const { context, page, errors } = await phonePage(browser);
      await page.goto(`${stack.url}${path}`);
      await page.getByRole('link', { name: 'Continue with Google' }).click();
      await page.getByLabel('Email').fill(email);
      await page.locator('#consent').click();
      await accountAsksForTheCode(page, email, secret);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('asks an account with an authenticator app for its code after Google, refuses a wrong one and opens Astrato with the right one', async () => {
    const { email, secret } = await googleAccountWithApp('browser-google-totp');

    const { context, page, errors } = await phonePage(browser);
    await page.goto(`${stack.url}/login`);
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await page.getByLabel('Email').fill(email);
    await page.locator('#consent').click();
    const codeField = page.getByLabel('Code from your authenticator app');
    await codeField.waitFor({ timeout: 15_000 });
    await codeField.fill('000000');
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.locator('#otp-error').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/login');

    await codeField.fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Log In' }).click();
    const astrato = stack.partners.find((partner) => partner.name === 'astrato')?.env.ASTRATO_BASE_URL as string;
    await page.waitForURL((url) => url.href.startsWith(astrato), { timeout: 15_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('signs up with Apple (form_post) on /signup and continues on /account', async () => {
    const { context, page } = await phonePage(browser);
    await page.goto(`${stack.url}/signup`);
    await page.getByRole('link', { name: 'Continue with Apple' }).click();
    await page.getByLabel('Email').fill(uniqueEmail('browser-apple'));
    await page.locator('#consent').click();
    await page.waitForURL(`${stack.url}/account`, { timeout: 15_000 });
    await page
      .getByRole('button', { name: /sign out/i })
      .first()
      .waitFor({ timeout: 15_000 });
    await context.close();
  });

  it('approves a TV on /activate with a Google account on the phone', async () => {
    const device = await call(stack.url, 'POST', '/oauth/device_authorization', {
      body: new URLSearchParams({ client_id: 'applicaster-tv' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const { context, page } = await phonePage(browser);
    await page.goto(String(device.body.verification_uri_complete));
    await page.getByText('Acme TV', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await page.getByLabel('Email').fill(uniqueEmail('browser-tv'));
    await page.locator('#consent').click();
    await page.getByRole('heading', { name: 'Your TV is connected' }).waitFor({ timeout: 15_000 });
    await context.close();
  });
});
