import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { accountPage } from '../../../lambdas/web/account-page';
import { activatePage } from '../../../lambdas/web/activate-page';
import { emailChangePage } from '../../../lambdas/web/email-change-page';
import { loginPage } from '../../../lambdas/web/login-page';
import { portalPage } from '../../../lambdas/web/portal-page';
import { resetPasswordPage } from '../../../lambdas/web/reset-password-page';
import { signupPage } from '../../../lambdas/web/signup-page';
import { verifyEmailPage } from '../../../lambdas/web/verify-email-page';
import { bundlePageScript, generatedFile, generatedPath, PAGE_SCRIPTS } from '../../../scripts/page-scripts';

const PAGES = {
  login: () => loginPage({ frameAncestors: [] }),
  activate: () => activatePage({}),
  'reset-password': () => resetPasswordPage({ state: 'none', validMinutes: 30 }),
  'verify-email': () => verifyEmailPage({ state: 'none', validHours: 24 }),
  portal: () => portalPage(),
  account: () => accountPage(),
  'email-change': () => emailChangePage({ state: 'valid', token: 'a.b', problem: '' }),
  signup: () => signupPage({ termsRequired: true, extraFields: [{ name: 'company', type: 'string', maxLength: 100 }] }),
};

describe('The page scripts', () => {
  it.each(PAGE_SCRIPTS)('%s: the committed bundle is what npm run build:pages writes from the TypeScript source', (page) => {
    expect(readFileSync(generatedPath(page), 'utf8')).toBe(generatedFile(page));
  });

  it.each(PAGE_SCRIPTS)('%s: the page inlines exactly the bundled script and allows it by its hash', (page) => {
    const result = PAGES[page]();
    const script = bundlePageScript(page);
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(result.rawBody).toContain(`<script>${script}</script>`);
    expect(result.headers?.['Content-Security-Policy']).toContain(`script-src 'sha256-${hash}'`);
  });

  it.each(PAGE_SCRIPTS)('%s: the bundle is one self-contained function with no import left', (page) => {
    const script = bundlePageScript(page);
    expect(script).toMatch(/^"use strict";\(\(\)=>\{/);
    expect(script).not.toMatch(/\bimport\b|\brequire\(/);
  });
});
