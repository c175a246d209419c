import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { launchBrowser, openWatchingCsp } from '../../support/browser';
import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { verificationMails } from '../../support/verification';

/** Email verification end to end: the link from the outbox, the page in Chromium, the click. */
describe('GET /verify-email in a browser', () => {
  let stack: TestStack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ env: { VERIFICATION_EMAILS_PER_HOUR: '20' } });
    browser = await launchBrowser();
  });
  afterEach(() => expect(cspViolations).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function registered() {
    const body = registration();
    const response = await post(stack.url, '/login-flow/register', body);
    expect(response.status).toBe(200);
    const email = String(body.email);
    return {
      email,
      password: String(body.password),
      userId: String(decodeJwt(response.body.access_token).sub),
      link: verificationMails(stack.outboxDir, email)[0].links[0],
    };
  }

  const verifiedAt = async (userId: string) =>
    (
      await createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' }).send(
        new GetCommand({ TableName: stack.tableName, Key: itemKeys.profile(userId), ConsistentRead: true }),
      )
    ).Item?.emailVerifiedAt;

  const open = (url: string): Promise<Page> => openWatchingCsp(browser, url, cspViolations);

  it('opened without a link, offers "Send me a link" (not a new one) and says an empty address once', async () => {
    const page = await open(`${stack.url}/verify-email`);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.locator('#email-error:not(:empty)').waitFor();

    const text = (await page.locator('main').textContent()) ?? '';
    expect(text.split('Enter your email address.').length - 1).toBe(1);
    expect(await page.getByRole('button', { name: /new link/ }).count()).toBe(0);
    await page.close();
  });

  it('verifies on the click, not on opening the link', async () => {
    // Prepare
    const user = await registered();

    // Act: open the page and let it settle, as a link scanner with a browser would.
    const page = await open(user.link);
    const confirm = page.getByRole('button', { name: 'Confirm my email' });
    await confirm.waitFor();
    await page.waitForTimeout(300);
    const afterOpening = await verifiedAt(user.userId);
    const addressBar = page.url();
    await confirm.click();
    await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
    await page.close();

    // Assess
    expect(afterOpening).toBeUndefined();
    expect(addressBar).toBe(`${stack.url}/verify-email`);
    expect(Date.parse(await verifiedAt(user.userId))).not.toBeNaN();
  });

  it('explains a used link and sends a new one from the same page', async () => {
    // Prepare
    const user = await registered();
    expect((await post(stack.url, '/verify-email/confirm', { token: new URL(user.link).searchParams.get('token') })).status).toBe(200);
    const other = await registered();

    // Act
    const page = await open(other.link.replace(/token=[^&]+/, `token=${encodeURIComponent(new URL(user.link).searchParams.get('token') as string)}`));
    await page.getByRole('heading', { name: 'This link cannot be used' }).waitFor();
    const problem = await page.locator('#link-problem').textContent();
    await page.getByLabel('Email').fill(other.email);
    await page.getByRole('button', { name: 'Send a new link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.close();

    // Assess
    expect(problem).toMatch(/already used/);
    expect(verificationMails(stack.outboxDir, other.email)).toHaveLength(2);
  });

  it('shows "not verified" on the portal page when accepting an invitation, with a button that sends a new link', async () => {
    // Prepare: a verified inviter, an unverified invitee.
    const inviter = await registered();
    await post(stack.url, '/verify-email/confirm', { token: new URL(inviter.link).searchParams.get('token') });
    const login = await post(stack.url, '/login-flow/login', { email: inviter.email, password: inviter.password });
    const invitee = await registered();
    const invitation = await post(stack.url, '/portal/team/invitations', { email: invitee.email }, { authorization: `Bearer ${login.body.access_token}` });
    expect(invitation.status).toBe(201);

    // Act
    const page = await open(String(invitation.body.invitation_url));
    await page.locator('#email').fill(invitee.email);
    await page.locator('#password').fill(invitee.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    const resend = page.locator('#verify-resend');
    await resend.waitFor();
    const error = await page.locator('#page-error').textContent();
    await resend.click();
    await page.locator('#verify-sent').getByText('We sent a new link').waitFor();
    await page.close();

    // Assess
    expect(error).toMatch(/confirm your email address/);
    expect(verificationMails(stack.outboxDir, invitee.email)).toHaveLength(2);
  });

  it('shows "not verified" on the login page with a button that sends a new link', async () => {
    // Prepare
    const user = await registered();

    // Act
    const page = await open(`${stack.url}/login`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log In' }).click();
    const resend = page.getByRole('button', { name: 'Send a new link' });
    await resend.waitFor();
    const error = await page.locator('#form-error').textContent();
    await resend.click();
    await page.locator('#resend-status').getByText('We sent a new link').waitFor();
    await page.close();

    // Assess
    expect(error).toMatch(/confirm your email address/);
    expect(verificationMails(stack.outboxDir, user.email)).toHaveLength(2);
  });
});
