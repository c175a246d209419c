import type { Page } from 'playwright-core';
import { horizontalOverflow } from '../../support/browser';
import { browserSuite } from '../../support/browser-suite';
import { post, registration } from '../../support/http';
import type { TestStack } from '../../support/local-stack';

/** "Your sessions and devices" on the account page at a phone's width: two sign-ins, two cards, end the other one. */
describe('/account sessions and devices in a browser', () => {
  const suite = browserSuite();
  let stack: TestStack;
  let page: Page;
  beforeEach(() => ({ stack, page } = suite));

  it('lists the session of an app and of this browser, ends the app one, and its refresh token stops working', async () => {
    // Prepare: the first sign-in is an app's (the API), the second this browser's
    const body = registration();
    const app = await post(stack.url, '/login-flow/register', body);
    expect(app.status).toBe(200);
    await page.goto(`${stack.url}/account`);
    await page.getByLabel('Email', { exact: true }).fill(String(body.email));
    await page.getByLabel('Password', { exact: true }).fill(String(body.password));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your sessions and devices' }).waitFor();
    const cards = page.locator('#session-list li');
    await cards.nth(1).waitFor();

    // Act
    const before = await cards.allTextContents();
    const overflowWithTwo = await horizontalOverflow(page);
    const appSessionId = String(app.body.refresh_token).split('.')[1];
    await page.locator(`#session-list li[data-session-id="${appSessionId}"]`).getByRole('button').click();
    await page.locator(`#session-list li[data-session-id="${appSessionId}"]`).waitFor({ state: 'detached' });
    const after = await cards.allTextContents();
    const refreshed = await post(stack.url, '/login-flow/refresh', { refresh_token: app.body.refresh_token });

    // Assess
    expect(before).toHaveLength(2);
    expect(before.filter((text) => text.includes('this device'))).toHaveLength(1);
    expect(before.every((text) => /Signed in .+ with password.* · last used .+/.test(text))).toBe(true);
    expect(overflowWithTwo).toBeLessThanOrEqual(0);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain('this device');
    expect(await page.getByRole('button', { name: 'Sign out everywhere else' }).isVisible()).toBe(false);
    expect(refreshed.status).toBe(403);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('signs out everywhere else and keeps this browser signed in', async () => {
    const body = registration();
    const app = await post(stack.url, '/login-flow/register', body);
    const secondApp = await post(stack.url, '/login-flow/login', { email: body.email, password: body.password });
    await page.goto(`${stack.url}/account`);
    await page.getByLabel('Email', { exact: true }).fill(String(body.email));
    await page.getByLabel('Password', { exact: true }).fill(String(body.password));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const cards = page.locator('#session-list li');
    await cards.nth(2).waitFor();

    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await page.getByText('Signed out everywhere else.').waitFor({ state: 'attached' });

    expect(await cards.count()).toBe(1);
    expect(await cards.first().textContent()).toContain('this device');
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: app.body.refresh_token })).status).toBe(403);
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: secondApp.body.refresh_token })).status).toBe(403);
  });
});
