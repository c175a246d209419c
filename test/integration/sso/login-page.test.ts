import { createHash } from 'node:crypto';
import { call } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('GET /login', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { LOGIN_PAGE_FRAME_ANCESTORS: "'self' https://portal.example.com" } });
  });
  afterAll(() => stack.stop());

  it('serves the login page with a strict CSP that allows only its own hashed script and the configured frame ancestors', async () => {
    // Act
    const response = await call(stack.url, 'GET', '/login');
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(response.text)?.[1] ?? '';
    const scriptHash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${scriptHash}'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'self' https://portal.example.com");
    expect(response.headers.get('x-frame-options')).toBeNull();
  });

  it('labels both fields and links their error slots', async () => {
    const response = await call(stack.url, 'GET', '/login');

    expect(response.text).toMatch(/<label for="email">Email<\/label>/);
    expect(response.text).toMatch(/<label for="password">Password<\/label>/);
    expect(response.text).toContain('aria-describedby="email-error"');
    expect(response.text).toContain('aria-describedby="password-error"');
    expect(response.text).toContain('>Log In</button>');
  });

  it.each(['/login', '/login?partner=acronis'])('shows end users on %s no setting name or operator note', async (path) => {
    const response = await call(stack.url, 'GET', path);

    expect(response.text).not.toMatch(/_ARN|_ALLOWLIST|FRAME_ANCESTORS|CLIENT_SECRET|For administrators/);
  });
});
