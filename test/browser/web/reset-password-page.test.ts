import { existsSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { sha256 } from '../../../lambdas/core/random';
import { launchBrowser, openWatchingCsp } from '../../support/browser';
import { post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const NEW_PASSWORD = 'lantern orchard copper seventeen';

/** Password reset end to end: the email from the outbox, the page in Chromium, then the API as a client sees it. */
describe('GET /reset-password in a browser', () => {
  let stack: TestStack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ env: { RESET_EMAILS_PER_HOUR: '20' } });
    browser = await launchBrowser();
  });
  afterEach(() => expect(cspViolations).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const mails = (email: string, subject: string) =>
    (existsSync(stack.outboxDir) ? stack.outbox() : []).filter((mail) => mail.to === email && mail.subject === subject);

  async function userWithResetLink() {
    const body = registration();
    const email = body.email as string;
    const registered = await post(stack.url, '/login-flow/register', body);
    expect(registered.status).toBe(200);
    expect((await post(stack.url, '/login-flow/reset-password', { email })).status).toBe(200);
    const [mail] = mails(email, 'Reset your password');
    return { email, refreshToken: registered.body.refresh_token as string, link: mail.links[0] };
  }

  const open = (url: string): Promise<Page> => openWatchingCsp(browser, url, cspViolations);

  it('sets a new password from the emailed link: the old password and old refresh tokens stop working, the new password works', async () => {
    // Prepare
    const user = await userWithResetLink();

    // Act
    const page = await open(user.link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const addressBar = page.url();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the new password').press('Enter');
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    const confirmation = await page.locator('#done-text').textContent();
    const nextStep = await page.getByRole('link', { name: 'sign in to your account' }).isVisible();
    await page.close();

    // Assess
    expect(addressBar).toBe(`${stack.url}/reset-password`);
    expect(nextStep).toBe(true);
    expect(confirmation).toMatch(/every device was signed out/);
    expect((await post(stack.url, '/login-flow/login', { email: user.email, password: STRONG_PASSWORD })).status).toBe(403);
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: user.refreshToken })).status).toBe(403);
    expect((await post(stack.url, '/login-flow/login', { email: user.email, password: NEW_PASSWORD })).status).toBe(200);
    expect(mails(user.email, 'Your password was changed')).toHaveLength(1);
  });

  it('opened without a link, offers "Send me a link", not a new one', async () => {
    const page = await open(`${stack.url}/reset-password`);
    await page.getByRole('button', { name: 'Send me a link' }).waitFor();
    expect(await page.getByRole('button', { name: /new link/ }).count()).toBe(0);
    await page.close();
  });

  it('explains a used link and sends a new one from the same page', async () => {
    // Prepare
    const user = await userWithResetLink();
    expect(
      (await post(stack.url, '/login-flow/reset-password/confirm', { token: new URL(user.link).searchParams.get('token'), password: NEW_PASSWORD })).status,
    ).toBe(200);

    // Act
    const page = await open(user.link);
    await page.getByRole('heading', { name: 'This link cannot be used' }).waitFor();
    const explanation = await page.locator('#link-problem').textContent();
    const passwordFormShown = await page.locator('#set-password').isVisible();
    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send me a new link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.close();

    // Assess
    expect(explanation).toMatch(/already used/);
    expect(passwordFormShown).toBe(false);
    expect(mails(user.email, 'Reset your password')).toHaveLength(2);
  });

  it('explains an expired link', async () => {
    const user = await userWithResetLink();
    const token = new URL(user.link).searchParams.get('token') as string;
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    await db.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: itemKeys.reset(token.split('.')[0], sha256(token)),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );

    const page = await open(user.link);
    await page.getByRole('heading', { name: 'This link cannot be used' }).waitFor();

    expect(await page.locator('#link-problem').textContent()).toMatch(/has expired/);
    expect(await page.getByRole('button', { name: 'Send me a new link' }).isVisible()).toBe(true);
    await page.close();
  });

  it('shows the server answer when the link is spent while the page is open', async () => {
    const user = await userWithResetLink();
    const page = await open(user.link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(
      (await post(stack.url, '/login-flow/reset-password/confirm', { token: new URL(user.link).searchParams.get('token'), password: NEW_PASSWORD })).status,
    ).toBe(200);

    await page.getByLabel('New password', { exact: true }).fill('a different passphrase');
    await page.getByLabel('Repeat the new password').fill('a different passphrase');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'This link cannot be used' }).waitFor();

    expect(await page.locator('#link-problem').textContent()).toMatch(/already used/);
    await page.close();
  });

  it('shows field errors beside the fields and keeps the keyboard focus on the first one', async () => {
    const user = await userWithResetLink();
    const page = await open(user.link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();

    await page.getByLabel('New password', { exact: true }).fill('password123');
    await page.getByLabel('Repeat the new password').fill('password123');
    await page.getByLabel('Repeat the new password').press('Enter');
    await page.locator('#password-error').filter({ hasText: 'too common' }).waitFor();

    expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('password');
    expect(await page.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.close();
  });

  it('asks for the email straight away without a token', async () => {
    const page = await open(`${stack.url}/reset-password`);

    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();

    expect(await page.locator('#link-problem').isHidden()).toBe(true);
    expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('email');
    await page.close();
  });
});
