import { readFileSync } from 'node:fs';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { lockOut, type PortalUser, signUp, signUpOperator } from '../../integration/admin/helpers';
import { desktopPage, launchBrowser } from '../../support/browser';
import { freshCode } from '../../support/factors';
import { post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('the Users section of the portal page in a browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let operator: PortalUser;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchBrowser();
    operator = await signUpOperator(stack);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors: pageErrors } = await desktopPage(browser, { acceptDownloads: true }));
  });
  afterEach(() => context.close());

  /** An operator has an authenticator app (the console needs a two-factor session): the page asks for its code after the password. */
  async function signIn(user: PortalUser) {
    await page.goto(`${stack.url}/portal`);
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    if (user.factor) {
      const codeField = page.locator('#sign-in-form').getByLabel('Code from your authenticator app');
      await codeField.waitFor();
      await codeField.fill(await freshCode(user.factor.secret));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    }
    await page.getByRole('heading', { name: 'API credentials' }).waitFor();
  }

  const confirm = (name: string) => page.getByRole('dialog').getByRole('button', { name }).click();
  const fact = (term: string) => page.locator('#user-facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

  it('stays hidden from users without the permission', async () => {
    // Prepare
    const user = await signUp(stack);
    // Act
    await signIn(user);
    await page.locator('#team-title').filter({ hasText: 'Team:' }).waitFor();
    await page.waitForLoadState('networkidle');
    // Assess
    expect(await page.getByRole('heading', { name: 'Users' }).isVisible()).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('finds a user, signs out one session, unlocks, disables and enables, and exports, each after confirmation, with the audit list', async () => {
    // Prepare: a user with two sessions who is locked out by failed sign-ins
    const target = await signUp(stack, { firstName: 'Grace', lastName: 'Hopper' });
    const phone = (await post(stack.url, '/login-flow/login', { email: target.email, password: target.password })).body;
    const phoneSession = String(decodeJwt(phone.access_token).sid);
    await lockOut(stack, target.email, 12);
    await signIn(operator);
    await page.getByRole('heading', { name: 'Users' }).waitFor();

    // Search: an unknown email says so, then the user's card
    await page.getByLabel("User's email").fill('nobody.here@example.com');
    await page.getByRole('button', { name: 'Find user' }).click();
    await page
      .locator('#user-search-error')
      .filter({ hasText: /no user/i })
      .waitFor();
    await page.getByLabel("User's email").fill(target.email.toUpperCase());
    await page.getByLabel("User's email").press('Enter');
    await page.getByRole('heading', { name: `Grace Hopper · ${target.email}` }).waitFor();
    expect(await fact('State').textContent()).toBe('Active');
    expect(await fact('Sign-in back-off').textContent()).toMatch(/locked until/);
    const sessionRows = page.locator('#user-sessions tbody tr');
    expect(await sessionRows.count()).toBe(2);

    // Sign out one session: Cancel keeps it, confirming ends it
    const phoneRow = page.locator(`#user-sessions tr[data-session-id="${phoneSession}"]`);
    await phoneRow.getByRole('button', { name: /Sign out the session started/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await sessionRows.count()).toBe(2);
    await phoneRow.getByRole('button', { name: /Sign out the session started/ }).click();
    await confirm('Sign out session');
    await phoneRow.waitFor({ state: 'detached' });
    expect(await sessionRows.count()).toBe(1);
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: phone.refresh_token })).status).toBe(403);

    // Unlock
    await page.getByRole('button', { name: 'Unlock sign-in' }).click();
    await confirm('Unlock');
    await fact('Sign-in back-off').filter({ hasText: 'not locked' }).waitFor();
    expect((await post(stack.url, '/login-flow/login', { email: target.email, password: target.password })).status).toBe(200);

    // Disable, then enable
    await page.getByRole('button', { name: 'Disable account' }).click();
    await confirm('Disable');
    await fact('State').filter({ hasText: 'Disabled since' }).waitFor();
    const refused = await post(stack.url, '/login-flow/login', { email: target.email, password: target.password });
    expect(refused.status).toBe(403);
    expect(refused.body.formError).toMatch(/disabled/);
    await page.getByRole('button', { name: 'Enable account' }).click();
    await confirm('Enable');
    await fact('State').filter({ hasText: 'Active' }).waitFor();
    expect((await post(stack.url, '/login-flow/login', { email: target.email, password: target.password })).status).toBe(200);

    // Export: a JSON download of everything, without hashes
    await page.getByRole('button', { name: 'Export data' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), confirm('Export')]);
    expect(download.suggestedFilename()).toBe(`user-${target.userId}.json`);
    const exported = readFileSync((await download.path()) as string, 'utf8');
    expect(JSON.parse(exported)).toMatchObject({ format: 'loginbridge-user-export/1', profile: { id: target.userId, email: target.email } });
    expect(exported).not.toMatch(/hash|secret/i);

    // The audit list, newest first
    await page.locator('#user-audit tr[data-action="export"]').waitFor();
    const actions = await page.locator('#user-audit tbody tr td:nth-child(2)').allTextContents();
    // Reads (search, card, audit list) are on the trail too; the writes come in order among them.
    expect(actions.filter((action) => !['search', 'view', 'audit-read'].includes(action))).toEqual(['export', 'enable', 'disable', 'unlock', 'end-session']);
    expect(actions).toContain('view');
    expect(await page.locator('#user-audit tbody tr').first().locator('td').nth(2).textContent()).toBe(operator.email);
    expect(pageErrors).toEqual([]);
  });
});
