import { safeReturnTo } from '../../../lambdas/core/return-to';

describe('safeReturnTo: where a success page may offer to continue', () => {
  const trusted = { publicBaseUrl: 'https://login.example.com/prod', allowedOrigins: ['*', 'https://app.example.com'] };

  it('accepts a path on this service and an absolute URL of this origin or of an ALLOWED_ORIGINS origin', () => {
    expect(safeReturnTo('/account?tab=1', trusted)).toBe('https://login.example.com/account?tab=1');
    expect(safeReturnTo('https://login.example.com/portal', trusted)).toBe('https://login.example.com/portal');
    expect(safeReturnTo('https://app.example.com/settings#done', trusted)).toBe('https://app.example.com/settings#done');
  });

  it.each([
    ['another host', 'https://evil.example.net/'],
    ['a look-alike origin', 'https://app.example.com.evil.net/'],
    ['another port of an allowed host', 'https://app.example.com:8443/'],
    ['a protocol-relative URL', '//evil.example.net/'],
    ['a backslash path', '/\\evil.example.net'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,hi'],
    ['credentials in the URL', 'https://user:pw@app.example.com/'],
    ['a relative path without a slash', 'evil.example.net'],
    ['nothing', ''],
  ])('drops %s (and * in ALLOWED_ORIGINS never allows it)', (_what, value) => {
    expect(safeReturnTo(value, trusted)).toBeUndefined();
  });
});
