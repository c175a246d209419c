import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWatchingCsp } from '../../support/browser';
import { call, post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { verificationMails, verifyEmail } from '../../support/verification';

// Its own file: settings are read once per process, as in a Lambda instance.
describe('/activate in a browser with LOGIN_REQUIRES_VERIFIED_EMAIL=true', () => {
  let stack: TestStack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({
      env: { LOGIN_REQUIRES_VERIFIED_EMAIL: 'true', DEVICE_CLIENT_IDS: 'applicaster-tv=Acme TV', VERIFICATION_EMAILS_PER_HOUR: '20' },
    });
    browser = await launchBrowser();
  });
  afterEach(() => expect(cspViolations).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const open = (url: string): Promise<Page> => openWatchingCsp(browser, url, cspViolations);

  it('shows "not verified" with a button that sends a new link, and connects the TV with the same code after the click', async () => {
    // Prepare
    const body = registration();
    expect((await post(stack.url, '/login-flow/register', body)).status).toBe(200);
    const email = String(body.email);
    const device = await call(stack.url, 'POST', '/oauth/device_authorization', {
      body: new URLSearchParams({ client_id: 'applicaster-tv' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    // Act
    const page = await open(String(device.body.verification_uri_complete));
    await page.getByText('Acme TV', { exact: true }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(String(body.password));
    await page.getByRole('button', { name: 'Sign in and connect' }).click();
    const resend = page.getByRole('button', { name: 'Send a new link' });
    await resend.waitFor();
    const error = await page.locator('#approve-form-error').textContent();
    await resend.click();
    await page.locator('#resend-status').getByText(`We sent a new link to ${email}`).waitFor();
    const mailsAfterResend = verificationMails(stack.outboxDir, email).length;
    await verifyEmail(stack, email);
    await page.getByRole('button', { name: 'Sign in and connect' }).click();
    await page.getByRole('heading', { name: 'Your TV is connected' }).waitFor();
    const boxHiddenAfter = await page.locator('#verify-box').isHidden();
    await page.close();

    // Assess
    expect(error).toMatch(/confirm your email address/);
    // The registration's link and the one the button asked for.
    expect(mailsAfterResend).toBe(2);
    expect(boxHiddenAfter).toBe(true);
  });
});
