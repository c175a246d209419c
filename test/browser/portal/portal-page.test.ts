import type { Browser, BrowserContext, Page } from 'playwright-core';
import { as, type PortalStack, type PortalUser, signUp, startPortalStack } from '../../integration/portal/helpers';
import { desktopPage, launchBrowser } from '../../support/browser';
import { freshCode, withFactorSignIn } from '../../support/factors';
import { call } from '../../support/http';

describe('the portal page in a browser', () => {
  let portal: PortalStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let user: PortalUser;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    portal = await startPortalStack();
    browser = await launchBrowser();
    user = await signUp(portal.stack);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });
  beforeEach(async () => {
    // A CSP violation or a script error would show up in pageErrors (failed API calls are expected in some tests).
    ({ context, page, errors: pageErrors } = await desktopPage(browser));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.stack.url });
  });
  afterEach(() => context.close());

  /** With `secret`: the account has an authenticator app, so the page asks for its code after the password. */
  async function signIn(email = user.email, password = user.password, secret?: string) {
    await page.goto(`${portal.stack.url}/portal`);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    if (secret) {
      const codeField = page.locator('#sign-in-form').getByLabel('Code from your authenticator app');
      await codeField.waitFor();
      await codeField.fill(await freshCode(secret));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    }
    await page.getByRole('heading', { name: 'API credentials' }).waitFor();
    // The page's first loads (team, credentials) have answered: a person reads the page before acting on it.
    await page.locator('#members li').first().waitFor();
  }

  it('serves the page with a strict Content-Security-Policy', async () => {
    const response = await call(portal.stack.url, 'GET', '/portal');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'sha256-[^']+'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('shows field errors for a wrong password', async () => {
    await page.goto(`${portal.stack.url}/portal`);
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByLabel('Password', { exact: true }).press('Enter');

    await page.locator('#sign-in-error').filter({ hasText: /./ }).waitFor();
    expect(await page.getByRole('heading', { name: 'API credentials' }).isVisible()).toBe(false);
  });

  it('signs in, creates a credential and shows its secret once, rotates it, and deletes it with confirmation', async () => {
    // Sign in
    await signIn();
    await page.getByText('No sandbox credentials yet.').waitFor();

    // Create: keyboard only
    await page.getByLabel('Name', { exact: true }).fill('Browser service');
    await page.getByLabel('Environment').selectOption('sandbox');
    await page.getByLabel('Name', { exact: true }).press('Enter');
    const secretPanel = page.locator('#secret-panel');
    await secretPanel.waitFor({ state: 'visible' });
    const secret = await page.getByRole('textbox', { name: 'Client secret' }).inputValue();
    const clientId = (await page.locator('#secret-client-id').textContent()) ?? '';
    expect(await secretPanel.getByText('This secret is shown only once.').isVisible()).toBe(true);
    expect(portal.sandbox.clients().find((client) => client.client_id === clientId)?.client_secret).toBe(secret);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    const row = page.locator(`tr[data-client-id="${clientId}"]`);
    await row.waitFor();

    // Dismissed, the secret is gone from the page and the listing never shows it
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    expect(await secretPanel.isVisible()).toBe(false);
    expect(await page.content()).not.toContain(secret);

    // Rotate, confirming in the dialog
    await row.getByRole('button', { name: 'Rotate the secret of Browser service' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    await secretPanel.waitFor({ state: 'visible' });
    const rotated = await page.getByRole('textbox', { name: 'Client secret' }).inputValue();
    expect(rotated).not.toBe(secret);
    expect(portal.sandbox.clients().find((client) => client.client_id === clientId)?.client_secret).toBe(rotated);
    await page.getByRole('button', { name: 'I have stored the secret' }).click();

    // Delete: Cancel keeps it (Escape works too), then confirm
    await row.getByRole('button', { name: 'Delete Browser service' }).click();
    await page.keyboard.press('Escape');
    expect(await row.isVisible()).toBe(true);
    await row.getByRole('button', { name: 'Delete Browser service' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByText('No sandbox credentials yet.').waitFor();
    expect(portal.sandbox.clients().some((client) => client.client_id === clientId)).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('invites a teammate, who accepts from the link after signing in', async () => {
    // Prepare
    const teammate = await signUp(portal.stack);
    await signIn();
    await page.getByLabel("Teammate's email").fill(teammate.email);
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    await page.locator('#invite-result').waitFor();
    const link = await page.getByLabel('Invitation link', { exact: true }).inputValue();
    expect(link).toContain('/portal#invite=');
    // Act: the teammate opens the link
    const other = await context.newPage();
    await other.goto(link);
    expect(new URL(other.url()).hash).toBe('');
    await other.getByLabel('Email', { exact: true }).fill(teammate.email);
    await other.getByLabel('Password', { exact: true }).fill(teammate.password);
    await other.getByRole('button', { name: 'Sign in', exact: true }).click();
    await other.getByRole('button', { name: 'Accept invitation' }).click();
    // Assess
    await other.locator('#members li').nth(1).waitFor();
    expect((await as(portal.stack, teammate).get('/portal/team')).body.members).toHaveLength(2);
  });

  it('lists pending admin invitations to an admin, who withdraws one', async () => {
    // Prepare: an admin named in the production tenant's app_metadata, with an authenticator app (admins need one)
    const admin = await withFactorSignIn(portal.stack.url, await signUp(portal.stack));
    portal.production.addUser({ email: admin.email, app_metadata: { permissions: ['portal-admin'] } });
    const invitee = `invited.admin.${Date.now()}@example.com`;
    await signIn(admin.email, admin.password, admin.factor.secret);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.getByLabel("Admin's email").fill(invitee);
    await page.getByLabel('Permission').selectOption('user-admin');
    await page.getByRole('button', { name: 'Create admin invitation link' }).click();
    const row = page.locator('#admin-invitations tr', { hasText: invitee });
    await row.waitFor();
    expect(await row.textContent()).toContain('User admin');
    // Act
    await page.getByRole('button', { name: `Withdraw the admin invitation to ${invitee}` }).click();
    // Assess
    await row.waitFor({ state: 'detached' });
    expect((await as(portal.stack, admin).get('/portal/admin/invitations')).body.invitations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
  it('leads an admin without a second factor through enrolment before the administration opens, at 390 px', async () => {
    // Prepare: an admin named in the production tenant's app_metadata who has never added a factor
    const admin = await signUp(portal.stack);
    portal.production.addUser({ email: admin.email, app_metadata: { permissions: ['portal-admin'] } });
    await page.setViewportSize({ width: 390, height: 844 });

    // Act: sign in with the password; the page asks for a factor instead of opening the administration
    await signIn(admin.email, admin.password);
    await page.getByRole('heading', { name: 'Add a second factor to open the administration' }).waitFor();
    const adminHiddenBefore = await page.locator('#admin').isHidden();
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await page.locator('#totp-secret').filter({ hasText: /\S/ }).waitFor();
    const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
    // Every element that sticks out of the screen, as `id|tag.class`: none may be inside the enrolment step.
    const outside = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('body *'))
      .filter((element) => element.getClientRects().length && element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((element) => (element.closest('#factor-gate') ? 'gate:' : '') + (element.id || element.tagName.toLowerCase() + '.' + element.className))`);
    await page.getByLabel('Code from the app').fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await page.getByRole('heading', { name: 'Store these recovery codes now' }).waitFor();
    const codes = await page.locator('#recovery-codes li').count();
    await page.getByRole('button', { name: 'I have stored these codes' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    const gateHiddenAfter = await page.locator('#factor-gate').isHidden();

    // Assess
    expect(adminHiddenBefore).toBe(true);
    expect(outside.filter((name) => name.startsWith('gate:'))).toEqual([]);
    expect(outside).toEqual([]);
    expect(codes).toBe(10);
    expect(gateHiddenAfter).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
