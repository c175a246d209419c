import type { Page } from 'playwright-core';
import { type GoogleSimulator, startGoogleSimulator } from '../../../local/simulators/google';
import { horizontalOverflow } from '../../support/browser';
import { browserSuite } from '../../support/browser-suite';
import { post, registration, uniqueEmail } from '../../support/http';

/** "Linked sign-in methods" on /account at a phone's width: link Google through the simulator's consent page, then unlink it. */
describe('/account linking and unlinking Google in a browser', () => {
  let google: GoogleSimulator;
  beforeAll(async () => {
    google = await startGoogleSimulator();
  });
  const suite = browserSuite({
    env: () => ({
      ...google.stackEnv(),
    }),
  });
  let page: Page;
  let url: string;
  beforeEach(() => {
    ({ page } = suite);
    url = suite.stack.url;
    google.addRedirectUri(`${url}/login-flow/web-sign-in/google/callback`);
  });
  afterAll(() => google?.stop());

  it('links Google from the account page, says so, lists it after signing in again, and Unlink removes it', async () => {
    // Prepare: an account with a password (so Google is not its only way in)
    const body = registration();
    expect((await post(url, '/login-flow/register', body)).status).toBe(200);
    const googleEmail = uniqueEmail('browser-link');
    const signIn = async () => {
      await page.getByLabel('Email', { exact: true }).fill(String(body.email));
      await page.getByLabel('Password', { exact: true }).fill(String(body.password));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Linked sign-in methods' }).waitFor();
    };
    await page.goto(`${url}/account`);
    await signIn();
    const linkGoogle = page.getByRole('button', { name: 'Link Google', exact: true });
    await linkGoogle.waitFor();

    // Act: link through the consent page
    await linkGoogle.click();
    await page.locator('#consent').waitFor({ timeout: 15_000 });
    await page.getByLabel('Email').fill(googleEmail);
    await page.locator('#consent').click();
    await page.waitForURL(`${url}/account`, { timeout: 15_000 });
    const notice = await page.locator('#linked-outcome').textContent();
    await signIn();
    const card = page.locator('#linked-list li[data-provider="google"]');
    await card.waitFor();
    const cardText = await card.textContent();
    const linkHidden = await linkGoogle.isHidden();
    const overflow = await horizontalOverflow(page);

    // Act: unlink
    await page.getByRole('button', { name: 'Unlink Google' }).click();
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('#linked-none').waitFor();

    // Assess
    expect(notice).toBe('Google is now linked to your account. Sign in to continue.');
    expect(new URL(page.url()).hash).toBe('');
    expect(cardText).toContain(googleEmail);
    expect(linkHidden).toBe(true);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.locator('#status').textContent()).toBe('Google is no longer linked.');
    expect(await linkGoogle.isVisible()).toBe(true);
  });
});
