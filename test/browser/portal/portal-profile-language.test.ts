import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { en } from '../../../lambdas/core/i18n/en';
import { es } from '../../../lambdas/core/i18n/es';
import { grantPermission, markEmailVerified } from '../../integration/admin/helpers';
import { as, type PortalStack, type PortalUser, signUp, startPortalStack } from '../../integration/portal/helpers';
import { desktopPage, launchBrowser } from '../../support/browser';
import { freshCode, withFactorSignIn } from '../../support/factors';

/**
 * /portal in the account's own language: an account registered in Spanish signs in with an English browser and no
 * choice of its own (no `?lang=`, no `lang` cookie), and the page, the lists its scripts drew (credentials, team,
 * admin invitations) and the Users console follow the profile's locale; a visitor's choice wins.
 */
describe('the portal page in the language of the account signed in', () => {
  let portal: PortalStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[] = [];
  let admin: PortalUser & { factor: { secret: string } };

  /** Registered in Spanish, its address confirmed (the verification email is in Spanish too). */
  async function spanishAccount(): Promise<PortalUser> {
    const user = await signUp(portal.stack, {}, { lang: 'es', verified: false });
    await markEmailVerified(portal.stack, user.userId);
    return user;
  }

  beforeAll(async () => {
    portal = await startPortalStack();
    browser = await launchBrowser();
    // A Spanish account holding portal-admin and user-admin with an authenticator app, a credential and a pending admin invitation
    const signedUp = await spanishAccount();
    await grantPermission(portal.stack, signedUp.userId, 'portal-admin');
    await grantPermission(portal.stack, signedUp.userId, 'user-admin');
    admin = await withFactorSignIn(portal.stack.url, signedUp);
    const api = as(portal.stack, admin);
    expect((await api.post('/portal/credentials', { name: 'Nightly export', environment: 'sandbox' }, { 'Idempotency-Key': randomUUID() })).status).toBe(201);
    expect((await api.post('/portal/admin/invitations', { email: `invited.${randomUUID().slice(0, 8)}@example.com`, kind: 'user-admin' })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await desktopPage(browser, { locale: 'en-US' }));
  });
  afterEach(() => context.close());

  /** Password, then the code; resolves once the page said it is signed in (after any switch of language). */
  async function signIn(path: string, signedInText: string): Promise<void> {
    await page.goto(`${portal.stack.url}${path}`);
    await page.locator('#email').fill(admin.email);
    await page.locator('#password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const codeField = page.locator('#sign-in-form').getByLabel('Code from your authenticator app');
    await codeField.waitFor();
    await codeField.fill(await freshCode(admin.factor.secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#status').filter({ hasText: signedInText }).waitFor();
    await page.locator('#admin-invitations table tbody tr').first().waitFor();
    await page.locator('#users').waitFor({ state: 'visible' });
  }

  it("switches to the account's language (Spanish) after sign-in when the visitor chose none, lists included", async () => {
    // Act
    await signIn('/portal', es['account.script.signedIn']);
    const lang = await page.locator('html').getAttribute('lang');
    const credentialColumns = await page.locator('table[data-environment="sandbox"] thead th').allTextContents();
    const credentialRow = page.locator('table[data-environment="sandbox"] tbody tr').first();
    const members = (await page.locator('#members li').allTextContents()).map((item) => item.trim());
    const cookies = await context.cookies();
    // biome-ignore lint/performance/useDomNodeTextContent: the words a person reads, without the hidden parts
    const body = await page.locator('body').innerText();

    // Assess: the static headings, the script-drawn lists and the console in Spanish, still signed in
    expect(lang).toBe('es');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(es['portal.title']);
    expect(await page.locator('#credentials-title').textContent()).toBe(es['portal.credentialsTitle']);
    expect(await page.locator('#admin-invitations-title').textContent()).toBe(es['portal.adminInvitationsTitle']);
    expect(await page.locator('#users-title').textContent()).toBe(es['console.title']);
    expect(credentialColumns).toEqual([es['portal.name'], es['portal.clientId'], es['portal.apis'], es['portal.script.created'], es['portal.script.actions']]);
    expect(await credentialRow.locator('td').first().getAttribute('data-label')).toBe(es['portal.name']);
    expect(await credentialRow.getByText(es['portal.script.rotate'], { exact: true }).count()).toBe(1);
    expect(members).toEqual([es['portal.script.you'].replace('{email}', admin.email)]);
    expect(await page.locator('#admin-invitations').getByRole('button', { name: es['portal.script.withdraw'] }).count()).toBe(1);
    for (const english of [en['portal.credentialsTitle'], en['portal.script.rotate'], en['portal.script.withdraw'], en['portal.script.actions'], '(you)'])
      expect({ english, found: body.includes(english) }).toEqual({ english, found: false });
    expect(await page.locator('#who').isVisible()).toBe(true);
    expect(cookies.filter((cookie) => cookie.name === 'lang')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('keeps the language the visitor chose (?lang=en) over the account’s', async () => {
    // Act
    await signIn('/portal?lang=en', en['account.script.signedIn']);
    const lang = await page.locator('html').getAttribute('lang');

    // Assess
    expect(lang).toBe('en');
    expect(await page.locator('#credentials-title').textContent()).toBe(en['portal.credentialsTitle']);
    expect((await page.locator('#members li').first().textContent())?.trim()).toBe(en['portal.script.you'].replace('{email}', admin.email));
    expect(await page.locator('table[data-environment="sandbox"] tbody tr').first().getByText(en['portal.script.rotate'], { exact: true }).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('draws the second-factor gate again in the account’s language for an admin who has not enrolled yet', async () => {
    // Prepare: a Spanish portal admin (named in the production tenant's app_metadata) without a second factor
    const unenrolled = await spanishAccount();
    portal.production.addUser({ email: unenrolled.email, app_metadata: { permissions: ['portal-admin'] } });

    // Act
    await page.goto(`${portal.stack.url}/portal`);
    await page.locator('#email').fill(unenrolled.email);
    await page.locator('#password').fill(unenrolled.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#status').filter({ hasText: es['account.script.signedIn'] }).waitFor();
    await page.locator('#factor-gate').waitFor({ state: 'visible' });

    // Assess
    expect(await page.locator('#factor-gate-title').textContent()).toBe(es['portal.gateTitle']);
    expect(await page.locator('#factor-gate-text').textContent()).toBe(es['portal.gateEnrol']);
    // Drawn by the Security section's script, not copied from the page: drawn again after the switch
    expect(await page.locator('#factor-list').textContent()).toBe(es['security.script.none']);
    expect(errors).toEqual([]);
  });
});
