import { createHash, randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { type GoogleSimulator, startGoogleSimulator } from '../../../local/simulators/google';
import { launchBrowser, phonePage } from '../../support/browser';
import { post, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const TERMS_URL = 'https://acme.example/terms';

/** "Continue with Google" that creates an account on a platform that requires terms (TERMS_REQUIRED): the terms step on the page. */
describe('Web sign-up with Google where the platform requires terms, in a browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let google: GoogleSimulator;

  beforeAll(async () => {
    google = await startGoogleSimulator();
    stack = await startTestStack({
      env: {
        TERMS_REQUIRED: 'true',
        BRAND_JSON: JSON.stringify({ productName: 'Acme', termsUrl: TERMS_URL }),
        ...google.stackEnv(),
      },
    });
    google.addRedirectUri(`${stack.url}/login-flow/web-sign-in/google/callback`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await google?.stop();
  });

  it('asks for the terms (with their link) before the account is made from /signup, refuses without the box ticked, and signs in once accepted', async () => {
    const email = uniqueEmail('browser-google-terms');
    const { context, page, errors } = await phonePage(browser);
    await page.goto(`${stack.url}/signup`);
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await page.getByLabel('Email').fill(email);
    await page.locator('#consent').click();
    await page.waitForURL(`${stack.url}/account`, { timeout: 15_000 });

    const terms = page.locator('#web-sign-in-terms');
    await terms.waitFor({ timeout: 15_000 });
    expect(await terms.getByRole('link', { name: 'Read the terms of use' }).getAttribute('href')).toBe(TERMS_URL);
    await terms.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#web-sign-in-accept-error').filter({ hasText: /\S/ }).waitFor();
    expect(await page.locator('#account').isHidden()).toBe(true);

    await terms.getByLabel('I accept the terms of use').check();
    await terms.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#who-email').filter({ hasText: email }).waitFor({ timeout: 15_000 });
    expect(await terms.isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('signs an existing account in on /login without the terms step', async () => {
    const email = uniqueEmail('browser-google-known');
    const nonce = randomBytes(16).toString('base64url');
    const sub = `sim-${createHash('sha256').update(email).digest('base64url').slice(0, 16)}`;
    const idToken = await google.mintGoogleIdToken({ sub, email, emailVerified: true, nonce });
    expect((await post(stack.url, '/login-flow/login/google', { idToken, nonce, approveTermsOfUse: true })).status).toBe(200);

    const { context, page, errors } = await phonePage(browser);
    await page.goto(`${stack.url}/login`);
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await page.getByLabel('Email').fill(email);
    await page.locator('#consent').click();
    const astrato = stack.partners.find((partner) => partner.name === 'astrato')?.env.ASTRATO_BASE_URL as string;
    await page.waitForURL((url) => url.href.startsWith(astrato), { timeout: 15_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
