import type { Page } from 'playwright-core';
import { horizontalOverflow } from '../../support/browser';
import { browserSuite } from '../../support/browser-suite';
import { post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { verificationMails } from '../../support/verification';

/** Sign-up at a phone's width: field errors from the API, the inbox step, a new link, and the emailed link confirmed. */
describe('/signup in a browser', () => {
  const suite = browserSuite({ env: { TERMS_REQUIRED: 'true', REGISTRATION_EXTRA_FIELDS: 'companyName:string:80', VERIFICATION_EMAILS_PER_HOUR: '20' } });
  let stack: TestStack;
  let page: Page;
  beforeEach(() => ({ stack, page } = suite));

  const errorUnder = (id: string) => page.locator(`#${id}-error`);

  it('shows the API field errors under their fields, then the inbox step, a new link, and confirms with the emailed link', async () => {
    // Prepare: an address that already has an account.
    const taken = registration();
    expect((await post(stack.url, '/login-flow/register', taken)).status).toBe(200);
    const email = uniqueEmail();

    // Act: a common password first, then the taken address, then a new one.
    await page.goto(`${stack.url}/signup`);
    const overflowOnForm = await horizontalOverflow(page);
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Email', { exact: true }).fill(String(taken.email));
    await page.getByLabel('Company name').fill('Navy');
    await page.getByLabel('Password', { exact: true }).fill('short');
    const shortHint = await page.locator('#password-strength').textContent();
    await page.getByLabel('Password', { exact: true }).fill('password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await errorUnder('password')
      .filter({ hasText: /too common/ })
      .waitFor();
    const termsError = await errorUnder('approveTermsOfUse').textContent();
    const passwordInvalid = await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid');

    await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
    await page.getByLabel('I accept the terms of use').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await errorUnder('email')
      .filter({ hasText: /already exists/ })
      .waitFor();
    const formAlert = await page.getByRole('alert').first().textContent();

    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    const inboxText = await page.locator('#inbox').textContent();
    const overflowOnInbox = await horizontalOverflow(page);
    await page.getByRole('button', { name: 'Send me a new link' }).click();
    await page
      .locator('#resend-status')
      .filter({ hasText: /new link/ })
      .waitFor();
    const mails = verificationMails(stack.outboxDir, email);

    await page.goto(mails[mails.length - 1].links[0]);
    await page.getByRole('button', { name: 'Confirm my email' }).click();
    await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
    const nextStep = page.getByRole('link', { name: 'Sign in to your account' });
    const nextVisible = await nextStep.isVisible();

    // Assess
    expect(overflowOnForm).toBeLessThanOrEqual(0);
    expect(shortHint).toMatch(/3 more characters/);
    expect(termsError).toMatch(/accept the terms/);
    expect(passwordInvalid).toBe('true');
    // One error, once: the field says what is wrong, the form-level alert points at it.
    expect(formAlert).toBe('Please correct the highlighted field.');
    expect(inboxText).toContain(email);
    expect(overflowOnInbox).toBeLessThanOrEqual(0);
    expect(mails).toHaveLength(2);
    expect(nextVisible).toBe(true);
    expect((await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD })).status).toBe(200);
  });

  it('is linked as "Create account" from the login page', async () => {
    await page.goto(`${stack.url}/login`);
    await page.getByRole('link', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();

    expect(page.url()).toBe(`${stack.url}/signup`);
  });
});
