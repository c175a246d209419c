import type { Browser } from 'playwright-core';
import { type AppleSimulator, startAppleSimulator } from '../../../local/simulators/apple';
import { type GoogleSimulator, startGoogleSimulator } from '../../../local/simulators/google';
import { launchBrowser, phonePage } from '../../support/browser';
import { call, uniqueEmail } from '../../support/http';
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
        APPLE_ISSUER: apple.issuer,
        APPLE_JWKS_URL: apple.jwksUrl,
        APPLE_CLIENT_IDS: apple.clientId,
        APPLE_TEAM_ID: apple.teamId,
        APPLE_KEY_ID: apple.keyId,
        APPLE_PRIVATE_KEY: apple.privateKeyPem,
        GOOGLE_ISSUER: google.issuer,
        GOOGLE_JWKS_URL: google.jwksUrl,
        GOOGLE_CLIENT_IDS: google.clientId,
        GOOGLE_CLIENT_SECRET: google.clientSecret,
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
