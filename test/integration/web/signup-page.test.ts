import { call } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('GET /signup (the sign-up page)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { TERMS_REQUIRED: 'true', REGISTRATION_EXTRA_FIELDS: 'companyName:string:80,employees:number:6,newsletter:boolean' } });
  });
  afterAll(() => stack.stop());

  it('is served with a strict CSP, no framing and no caching', async () => {
    const response = await call(stack.url, 'GET', '/signup');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('asks for the register fields with labels and error slots, terms required as configured', async () => {
    const page = (await call(stack.url, 'GET', '/signup')).text;

    for (const id of ['firstName', 'lastName', 'email', 'password', 'approveTermsOfUse', 'approveMarketing']) {
      expect(page).toContain(`<label for="${id}">`);
      expect(page).toContain(`id="${id}-error"`);
    }
    expect(page).toMatch(/id="approveTermsOfUse" name="approveTermsOfUse" type="checkbox" required/);
    expect(page).toContain('autocomplete="new-password"');
    expect(page).toContain('id="signup-form-error" class="form-error" role="alert"');
  });

  it('renders the platform extra fields from REGISTRATION_EXTRA_FIELDS under their configured names', async () => {
    const page = (await call(stack.url, 'GET', '/signup')).text;

    expect(page).toContain('<label for="extra-companyName">Company name');
    expect(page).toContain('name="companyName" type="text" maxlength="80"');
    expect(page).toContain('name="employees" type="text" inputmode="decimal" maxlength="6"');
    expect(page).toContain('name="newsletter" type="checkbox"');
  });

  it('has the check-your-inbox step with a button for a new link, hidden until the account exists', async () => {
    const page = (await call(stack.url, 'GET', '/signup')).text;

    expect(page).toContain('<section id="inbox" hidden>');
    expect(page).toContain('Send me a new link');
  });
});
