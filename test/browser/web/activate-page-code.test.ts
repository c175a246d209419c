import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWatchingCsp } from '../../support/browser';
import { enrolTotp, freshCode } from '../../support/factors';
import { call, post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/** /activate for an account with a second factor: the page asks for the code and approves with it (docs/security.md). */
describe('/activate in a browser for an account with a second factor', () => {
  let stack: TestStack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ env: { DEVICE_CLIENT_IDS: 'applicaster-tv=Acme TV' } });
    browser = await launchBrowser();
  });
  afterEach(() => expect(cspViolations).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const open = (url: string): Promise<Page> => openWatchingCsp(browser, url, cspViolations);

  it('shows a code field after the password, refuses a wrong code, and connects the TV with the right one', async () => {
    // Prepare
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    const factor = await enrolTotp(stack.url, String(registered.body.access_token));
    const device = await call(stack.url, 'POST', '/oauth/device_authorization', {
      body: new URLSearchParams({ client_id: 'applicaster-tv' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    // Act
    const page = await open(String(device.body.verification_uri_complete));
    await page.getByText('Acme TV', { exact: true }).waitFor();
    await page.getByLabel('Email').fill(String(body.email));
    await page.getByLabel('Password').fill(String(body.password));
    await page.getByRole('button', { name: 'Sign in and connect' }).click();
    const codeField = page.getByLabel('Code from your authenticator app');
    await codeField.waitFor();
    await codeField.fill('000000');
    await page.getByRole('button', { name: 'Sign in and connect' }).click();
    await page.locator('#otp-error').filter({ hasText: 'not valid' }).waitFor();
    await codeField.fill(await freshCode(factor.secret));
    await page.getByRole('button', { name: 'Sign in and connect' }).click();
    await page.getByRole('heading', { name: 'Your TV is connected' }).waitFor();
    const autocomplete = await codeField.getAttribute('autocomplete');
    const nextStep = await page.getByText('you can close this window').isVisible();
    await page.close();

    // Assess
    expect(autocomplete).toBe('one-time-code');
    expect(nextStep).toBe(true);
  });
});
