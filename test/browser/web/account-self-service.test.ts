import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { horizontalOverflow } from '../../support/browser';
import { browserSuite } from '../../support/browser-suite';
import { post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';

const NEW_PASSWORD = 'a brand new passphrase for ada';

/** The account's self-service sections on a 390 px phone: profile, password, email (through the outbox link), my data, delete. */
describe('/account self-service in a browser', () => {
  const suite = browserSuite({ env: { REGISTRATION_EXTRA_FIELDS: 'company:string:40' } });
  let stack: TestStack;
  let page: Page;
  let context: BrowserContext;
  beforeEach(() => ({ stack, page, context } = suite));

  async function signIn(email: string, password: string) {
    await page.goto(`${stack.url}/account`);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    await page.locator('#email-current').filter({ hasText: /@/ }).waitFor();
  }

  it('edits the profile, changes the password, downloads my data, with no horizontal overflow at 390 px', async () => {
    // Prepare
    const body = registration({ company: 'Engines' });
    await post(stack.url, '/login-flow/register', body);
    await signIn(String(body.email), STRONG_PASSWORD);

    // Act: profile
    const company = page.getByLabel('Company');
    const companyBefore = await company.inputValue();
    await page.getByLabel('First name').fill('Augusta');
    await company.fill('Difference Ltd');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.locator('#profile-saved').filter({ hasText: 'Your profile is saved.' }).waitFor();
    // Act: password
    await page.getByLabel('Current password').first().fill(STRONG_PASSWORD);
    await page.getByLabel(/New password/).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#password-saved').filter({ hasText: 'Your password has been changed.' }).waitFor();
    // Act: my data
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
    const overflow = await horizontalOverflow(page);

    // Assess
    expect(companyBefore).toBe('Engines');
    const me = await post(stack.url, '/login-flow/login', { email: body.email, password: NEW_PASSWORD });
    expect(me.status).toBe(200);
    expect(download.suggestedFilename()).toBe('my-data.json');
    expect(exported).toMatchObject({ format: 'loginbridge-user-export/1', profile: { firstName: 'Augusta', profileFields: { company: 'Difference Ltd' } } });
    expect(JSON.stringify(exported)).not.toMatch(/hash|secret/i);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('changes the email through the link mailed to the new address, then deletes the account after typing the address', async () => {
    // Prepare
    const body = registration();
    await post(stack.url, '/login-flow/register', body);
    const newEmail = uniqueEmail('moved');
    await signIn(String(body.email), STRONG_PASSWORD);

    // Act: ask for the change
    await page.getByLabel('New email address').fill(newEmail);
    await page.locator('#email-password').fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.locator('#email-pending').filter({ hasText: newEmail }).waitFor();
    const overflowPending = await horizontalOverflow(page);
    // Act: open the link from the outbox, confirm
    const link = stack.outbox().find((mail) => mail.to === newEmail)?.links[0] ?? '';
    const linkPage = await context.newPage();
    await linkPage.goto(link);
    await linkPage.getByRole('button', { name: 'Use this email' }).click();
    await linkPage.getByRole('heading', { name: 'Email changed' }).waitFor();
    const confirmedText = await linkPage.locator('#done-message').textContent();
    const linkOverflow = await horizontalOverflow(linkPage);
    await linkPage.close();
    // Act: sign in with the new address and delete
    await signIn(newEmail, STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    await page.getByLabel('Your email address').fill('someone.else@example.com');
    await page.getByRole('button', { name: 'Delete for ever' }).click();
    const mismatch = await page.locator('#delete-form-error').textContent();
    await page.getByLabel('Your email address').fill(newEmail);
    await page.getByRole('button', { name: 'Delete for ever' }).click();
    await page.getByText('Your account has been deleted.').waitFor();

    // Assess
    expect(overflowPending).toBeLessThanOrEqual(0);
    expect(confirmedText).toContain(newEmail);
    expect(linkOverflow).toBeLessThanOrEqual(0);
    expect(mismatch).toContain('Type the email address of your account');
    expect((await post(stack.url, '/login-flow/login', { email: newEmail, password: STRONG_PASSWORD })).status).toBe(403);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });
});
