import type { Page } from 'playwright-core';
import { type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { signUp } from '../../integration/sso/helpers';
import { browserSuite } from '../../support/browser-suite';
import type { TestStack } from '../../support/local-stack';

/**
 * Passkeys in Chromium with a virtual authenticator (CDP WebAuthn): add one on
 * /account, sign out, sign in with it alone on /login and hand off to Astrato.
 * The stack listens on `localhost`: a relying party id may not be an IP address.
 */
describe('Passkeys in a browser', () => {
  let astrato: AstratoSimulator;
  beforeAll(async () => {
    astrato = await startAstratoSimulator();
  });
  afterAll(() => astrato?.stop());
  const suite = browserSuite({
    host: 'localhost',
    env: () => ({ ASTRATO_BASE_URL: astrato.url, ASTRATO_CLIENT_ID: astrato.clientId, ASTRATO_CLIENT_SECRET: astrato.clientSecret }),
  });
  let stack: TestStack;
  let page: Page;
  beforeEach(() => ({ stack, page } = suite));

  /** A virtual platform authenticator with user verification on this page, and the account signed in on /account. */
  async function signedInOnAccountPage(user: { email: string; password: string }) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    await page.goto(`${stack.url}/account`);
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Security' }).waitFor();
    return { cdp, authenticatorId };
  }

  it('adds a passkey on /account, and after signing out signs in with it alone on /login and opens Astrato', async () => {
    // Prepare: a verified account and a virtual platform authenticator with user verification
    const user = await signUp(stack);
    const { cdp, authenticatorId } = await signedInOnAccountPage(user);

    // Act: add a passkey
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByLabel('Name for this passkey').fill('This phone');
    await page.getByRole('button', { name: 'Create the passkey' }).click();
    await page.getByRole('heading', { name: 'Store these recovery codes now' }).waitFor();
    const recoveryCodes = await page.locator('#recovery-codes li').allTextContents();
    await page.getByRole('button', { name: 'I have stored these codes' }).click();
    const row = page.locator('#factor-list li[data-factor-kind="passkey"]');
    await row.waitFor();
    const rowText = await row.textContent();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });

    // Act: sign out, then the passkey alone on the login page
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.goto(`${stack.url}/login`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${astrato.url}/auth/proxy/oem/ticket/**`);

    // Assess
    expect(recoveryCodes).toHaveLength(10);
    expect(rowText).toContain('This phone');
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
  });

  it('signs in through conditional UI: with a passkey on the device, the login page asks for it in the background and opens Astrato', async () => {
    // Prepare: a passkey added on /account, then signed out
    const user = await signUp(stack);
    await signedInOnAccountPage(user);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('button', { name: 'Create the passkey' }).click();
    await page.getByRole('button', { name: 'I have stored these codes' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    // Act: only open the page; the virtual authenticator answers the page's conditional request (mediation: conditional) at once
    await page.goto(`${stack.url}/login`);

    // Assess
    await page.waitForURL(`${astrato.url}/auth/proxy/oem/ticket/**`);
  });

  it('offers conditional UI on the login page: the email field asks for passkeys among its suggestions', async () => {
    await page.goto(`${stack.url}/login`);

    expect(await page.getByLabel('Email', { exact: true }).getAttribute('autocomplete')).toBe('username webauthn');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
  });
});
