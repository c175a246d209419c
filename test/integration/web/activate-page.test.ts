import QRCode from 'qrcode';
import { call } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('GET /activate, /activate/qr.svg and /reset-password', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { DEVICE_VERIFICATION_URI: 'https://tv.example.test/go' } });
  });
  afterAll(() => stack.stop());

  it.each(['/activate', '/activate?user_code=bcdf-ghjk', '/reset-password', '/reset-password?token=abc'])(
    'serves %s with a strict CSP, no framing and no caching',
    async (path) => {
      const response = await call(stack.url, 'GET', path);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('cache-control')).toBe('no-store');
    },
  );

  it('pre-fills the code from verification_uri_complete in canonical form', async () => {
    const response = await call(stack.url, 'GET', '/activate?user_code=bcdf%20ghjk');

    expect(response.text).toContain('"userCode":"BCDF-GHJK"');
  });

  it('never lets the query string into markup or script', async () => {
    const attack = '</script><script>alert(1)</script>';

    const activate = await call(stack.url, 'GET', `/activate?user_code=${encodeURIComponent(attack)}`);
    const reset = await call(stack.url, 'GET', `/reset-password?token=${encodeURIComponent(attack)}`);

    expect(activate.text).not.toContain('<script>alert(1)');
    expect(activate.text).toContain('\\u003c/script>');
    // A token that cannot be one is explained, and not echoed at all.
    expect(reset.text).not.toContain('alert(1)');
    expect(reset.text).toContain('"state":"invalid"');
  });

  it('draws the QR code of verification_uri_complete for a well-formed code', async () => {
    const response = await call(stack.url, 'GET', '/activate/qr.svg?user_code=bcdfghjk');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const expected = await QRCode.toString('https://tv.example.test/go?user_code=BCDF-GHJK', { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(response.text).toBe(expected);
  });

  it('refuses to draw anything but a user code', async () => {
    const response = await call(stack.url, 'GET', `/activate/qr.svg?user_code=${encodeURIComponent('https://evil.example')}`);
    const missing = await call(stack.url, 'GET', '/activate/qr.svg');

    expect(response.status).toBe(400);
    expect(response.body.fieldErrors.user_code).toMatch(/8 letters/);
    expect(missing.status).toBe(400);
  });

  it('hands out the configured verification URI to devices', async () => {
    const response = await call(stack.url, 'POST', '/oauth/device_authorization?client_id=applicaster-tv', {
      body: '',
      headers: { 'content-type': 'x-www-form-urlencoded' },
    });

    expect(response.body.verification_uri).toBe('https://tv.example.test/go');
    expect(response.body.verification_uri_complete).toBe(`https://tv.example.test/go?user_code=${response.body.user_code}`);
  });
});
