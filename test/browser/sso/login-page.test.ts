import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { type AcronisSimulator, startAcronisSimulator } from '../../../local/simulators/acronis';
import { type AstratoSimulator, startAstratoSimulator } from '../../../local/simulators/astrato';
import { bearer, signUp } from '../../integration/sso/helpers';
import { desktopPage, launchBrowser } from '../../support/browser';
import { enrolTotp, freshCode } from '../../support/factors';
import { post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

/** A customer portal on another origin that frames the login page. */
async function startPortal(): Promise<{ url: string; setFrame(src: string): void; stop(): Promise<void> }> {
  let frameSrc = '';
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(
      `<!doctype html><html><head><title>Customer portal</title></head><body><h1>Customer portal</h1><iframe id="login" title="Sign in" src="${frameSrc}" width="480" height="720"></iframe></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFrame: (src) => (frameSrc = src),
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the login page in a browser', () => {
  let astrato: AstratoSimulator;
  let acronis: AcronisSimulator;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [astrato, acronis, portal] = await Promise.all([startAstratoSimulator(), startAcronisSimulator(), startPortal()]);
    stack = await startTestStack({
      env: {
        ASTRATO_BASE_URL: astrato.url,
        ASTRATO_CLIENT_ID: astrato.clientId,
        ASTRATO_CLIENT_SECRET: astrato.clientSecret,
        ACRONIS_BASE_URL: acronis.url,
        ACRONIS_CLIENT_ID: acronis.clientId,
        ACRONIS_CLIENT_SECRET: acronis.clientSecret,
        LOGIN_PAGE_FRAME_ANCESTORS: `'self' ${portal.url}`,
        LOGIN_IP_MAX_FAILURES: '1000',
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await Promise.all([astrato?.stop(), acronis?.stop(), portal?.stop()]);
  });
  beforeEach(async () => {
    ({ page } = await desktopPage(browser));
  });
  afterEach(async () => {
    await page.context().close();
  });

  it('signs in with the keyboard on /login and lands at top level on the Astrato ticket page', async () => {
    // Prepare
    const user = await signUp(stack);
    await page.goto(`${stack.url}/login`);
    // Act
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(`${astrato.url}/auth/proxy/oem/ticket/**`);
    // Assess
    await expect(page.locator('#signed-in-email').textContent()).resolves.toBe(user.email);
    await expect(page.locator('body').textContent()).resolves.toContain('Astrato simulator');
  });

  it('asks an account with a second factor for its code (403 mfa_required) and signs in to Astrato with password and code', async () => {
    // Prepare
    const user = await signUp(stack);
    const factor = await enrolTotp(stack.url, user.accessToken);
    await page.goto(`${stack.url}/login`);
    // Act
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log In' }).click();
    const codeField = page.getByLabel('Code from your authenticator app');
    await codeField.waitFor();
    const focused = await codeField.evaluate((input) => input === input.ownerDocument.activeElement);
    const attributes = { autocomplete: await codeField.getAttribute('autocomplete'), inputmode: await codeField.getAttribute('inputmode') };
    await codeField.fill(await freshCode(factor.secret));
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`${astrato.url}/auth/proxy/oem/ticket/**`);
    // Assess
    expect(focused).toBe(true);
    expect(attributes).toEqual({ autocomplete: 'one-time-code', inputmode: 'numeric' });
    await expect(page.locator('#signed-in-email').textContent()).resolves.toBe(user.email);
  });

  it('signs in from inside a portal iframe on another origin and sends the whole window, not the frame, to Astrato', async () => {
    const user = await signUp(stack);
    portal.setFrame(`${stack.url}/login`);
    await page.goto(portal.url);
    const frame = page.frameLocator('#login');

    await frame.getByLabel('Email').fill(user.email);
    await frame.getByLabel('Password').fill(user.password);
    await frame.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`${astrato.url}/auth/proxy/oem/ticket/**`);

    await expect(page.locator('#signed-in-email').textContent()).resolves.toBe(user.email);
    expect(page.frames()).toHaveLength(1);
  });

  it('shows the form error and marks both fields invalid after a wrong password, and stays usable', async () => {
    const user = await signUp(stack);
    await page.goto(`${stack.url}/login`);

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('definitely not it');
    await page.getByRole('button', { name: 'Log In' }).click();

    await page.locator('#form-error', { hasText: 'The email or password is incorrect.' }).waitFor();
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Password').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('button', { name: 'Log In' }).getAttribute('aria-busy')).resolves.toBe('false');
    await expect(page.getByRole('button', { name: 'Log In' }).isEnabled()).resolves.toBe(true);
    expect(page.url()).toBe(`${stack.url}/login`);
  });

  it('explains empty fields beside each field before calling the server', async () => {
    await page.goto(`${stack.url}/login`);
    let calls = 0;
    page.on('request', (request) => {
      if (request.url().includes('/sso/astrato/login')) calls += 1;
    });

    await page.getByRole('button', { name: 'Log In' }).click();

    await expect(page.locator('#email-error').textContent()).resolves.toBe('Enter your email address.');
    await expect(page.locator('#password-error').textContent()).resolves.toBe('Enter your password.');
    await expect(page.evaluate<string>('document.activeElement && document.activeElement.id')).resolves.toBe('email');
    expect(calls).toBe(0);
  });

  it('cannot be framed by an origin that is not configured', async () => {
    const stranger = await startPortal();
    try {
      stranger.setFrame(`${stack.url}/login`);
      const blocked = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
      await page.goto(stranger.url);

      await blocked;
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      expect(await frame?.locator('#email').count()).toBe(0);
    } finally {
      await stranger.stop();
    }
  });

  it('signs in on /login?partner=acronis&target=/bc/ and lands at top level in the backup console, through the external-login page', async () => {
    // Prepare
    const user = await signUp(stack);
    await page.goto(`${stack.url}/login?partner=acronis&target=/bc/`);
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    // Act
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`${acronis.url}/bc/`);
    // Assess
    expect(visited).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${acronis.url.replace(/[.]/g, '\\.')}/api/2/idp/external-login#ott=[^&]+&targetURI=${acronis.url.replace(/[.]/g, '\\.')}/bc/$`),
      ),
    );
    await expect(page.locator('#signed-in-user').textContent()).resolves.toBe(user.email);
    await expect(page.locator('body').textContent()).resolves.toContain('Backup console');
  });

  it('sends the whole window, not the frame, to Acronis when the Acronis login page sits in a portal iframe', async () => {
    const user = await signUp(stack);
    portal.setFrame(`${stack.url}/login?partner=acronis`);
    await page.goto(portal.url);
    const frame = page.frameLocator('#login');

    await frame.getByLabel('Email').fill(user.email);
    await frame.getByLabel('Password').fill(user.password);
    await frame.getByRole('button', { name: 'Log In' }).click();
    await page.waitForURL(`${acronis.url}/mc/`);

    await expect(page.locator('#signed-in-user').textContent()).resolves.toBe(user.email);
    expect(page.frames()).toHaveLength(1);
  });

  it('shows the allow-list refusal on the Acronis login page for a target that is not allowed, and stays put', async () => {
    const user = await signUp(stack);
    await page.goto(`${stack.url}/login?partner=acronis&target=${encodeURIComponent('https://evil.example/')}`);

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log In' }).click();

    await page.locator('#form-error', { hasText: /not allowed/ }).waitFor();
    expect(page.url().startsWith(`${stack.url}/login`)).toBe(true);
  });

  it('follows an Acronis link to the simulated console, signed in', async () => {
    const user = await signUp(stack);
    const response = await post(stack.url, '/sso/acronis', {}, bearer(user.accessToken));

    await page.goto(response.body.url);
    await page.waitForURL(`${acronis.url}/mc/`);

    await expect(page.locator('#signed-in-user').textContent()).resolves.toBe(user.email);
  });
});
