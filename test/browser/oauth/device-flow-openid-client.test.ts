import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWatchingCsp } from '../../support/browser';
import { post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const CLIENT_ID = 'applicaster-tv';

/**
 * The whole TV sign-in as a third party sees it: a stock OAuth client
 * (openid-client, which finds everything through RFC 8414 discovery) on the
 * TV side and a real Chromium on /activate on the phone side.
 */
describe('TV sign-in driven by openid-client and a browser on /activate', () => {
  let stack: TestStack;
  let browser: Browser;
  let config: oauth.Configuration;
  /** Every OAuth error the token endpoint answered, in order. */
  const tokenErrors: string[] = [];
  /** CSP reports from the pages: the hashed inline script and style must run untouched. */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ env: { DEVICE_CLIENT_IDS: 'applicaster-tv=Acme TV', DEVICE_POLL_INTERVAL_SECONDS: '1', DEVICE_CODE_TTL_SECONDS: '60' } });
    browser = await launchBrowser();
    config = await oauth.discovery(new URL(stack.url), CLIENT_ID, undefined, oauth.None(), {
      algorithm: 'oauth2',
      execute: [oauth.allowInsecureRequests],
    });
    // Load the token handler once, as a warm Lambda would be: the first poll below must arrive early, not after a module load.
    await post(stack.url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: 'warm-up' });
    config[oauth.customFetch] = async (url, options) => {
      const response = await fetch(url, options as RequestInit);
      if (new URL(url).pathname === '/oauth/token' && response.status >= 400) tokenErrors.push(((await response.clone().json()) as { error: string }).error);
      return response;
    };
  });
  afterEach(() => expect(cspViolations).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function newUser() {
    const body = registration();
    expect((await post(stack.url, '/login-flow/register', body)).status).toBe(200);
    return { email: body.email as string, password: STRONG_PASSWORD };
  }

  const openPage = (url: string): Promise<Page> => openWatchingCsp(browser, url, cspViolations);

  it('discovers the endpoints, signs in after approval in the browser despite slow_down, refreshes and revokes', async () => {
    // Prepare
    const who = await newUser();
    expect(config.serverMetadata().device_authorization_endpoint).toBe(`${stack.url}/oauth/device_authorization`);
    const device = await oauth.initiateDeviceAuthorization(config, {});
    tokenErrors.length = 0;

    // Act: the TV polls too early on purpose (0.2 s against 1 s) and must slow down, while the user approves on the phone.
    const polling = oauth.pollDeviceAuthorizationGrant(config, { ...device, interval: 0.2 });
    const page = await openPage(device.verification_uri_complete as string);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Your TV is connected' }).waitFor();
    const shownCode = await page.locator('#confirm-code').textContent();
    await page.close();
    const tokens = await polling;

    // Assess: tokens, verifiable with the published JWKS by any JOSE library.
    expect(shownCode).toBe(device.user_code);
    // The first early poll answers slow_down; on a loaded machine it may come after one authorization_pending.
    expect(tokenErrors).toContain('slow_down');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(900);
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri as string));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: config.serverMetadata().issuer, audience: 'loginbridge' });
    expect(payload).toMatchObject({ client_id: CLIENT_ID, sub: expect.any(String) });

    // Act: refresh, then revoke.
    const refreshed = await oauth.refreshTokenGrant(config, tokens.refresh_token as string);
    await oauth.tokenRevocation(config, refreshed.refresh_token as string);
    const afterRevocation = oauth.refreshTokenGrant(config, refreshed.refresh_token as string);

    // Assess
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(afterRevocation).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
  });

  it('ends polling with access_denied when the user cancels on the page, typing the code by hand', async () => {
    const device = await oauth.initiateDeviceAuthorization(config, {});
    const polling = oauth.pollDeviceAuthorizationGrant(config, device);
    const outcome = polling.then(
      () => 'tokens',
      (error: { error?: string }) => error.error,
    );

    const page = await openPage(device.verification_uri);
    const field = page.getByLabel('Code from your TV');
    await expect(page.evaluate<string>('document.activeElement && document.activeElement.id')).resolves.toBe('user_code');
    await field.fill(device.user_code.replace('-', '').toLowerCase());
    await field.press('Enter');
    await page.getByText('Acme TV', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Cancel sign-in' }).click();
    await page.getByRole('heading', { name: 'Sign-in cancelled' }).waitFor();
    await page.close();

    await expect(outcome).resolves.toBe('access_denied');
  });

  it('explains a wrong code on the page and keeps the focus on the code field', async () => {
    const page = await openPage(`${stack.url}/activate?user_code=BBBB-BBBB`);

    const error = page.locator('#user_code-error');
    await error.filter({ hasText: 'not valid' }).waitFor();

    expect(await page.getByLabel('Code from your TV').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('user_code');
    expect(await page.locator('#step-approve').isHidden()).toBe(true);
    await page.close();
  });
});
