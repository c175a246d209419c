import { ConfigurationError, settings } from '../../lambdas/config';

describe('SSO settings', () => {
  it("have safe defaults: login page framable only by itself, fragment links as Acronis's guide builds them, the management and backup consoles", () => {
    const defaults = settings({});

    expect(defaults).toMatchObject({
      LOGIN_PAGE_FRAME_ANCESTORS: ["'self'"],
      ACRONIS_URL_STYLE: 'fragment',
      ACRONIS_TARGET_ALLOWLIST: '{dc}/mc/,{dc}/bc/',
      ACRONIS_IDENTIFY_BY: 'login',
      ACRONIS_LOGIN_FIELD: 'email',
      ASTRATO_DEFAULT_GROUP_IDS: [],
      PARTNER_TIMEOUT_MS: 5000,
    });
  });

  it('reads lists of group ids and frame ancestors', () => {
    const parsed = settings({
      ASTRATO_DEFAULT_GROUP_IDS: ' a, b ,,c',
      LOGIN_PAGE_FRAME_ANCESTORS: "'self', https://portal.example.com https://*.example.org:8443",
    });

    expect(parsed.ASTRATO_DEFAULT_GROUP_IDS).toEqual(['a', 'b', 'c']);
    expect(parsed.LOGIN_PAGE_FRAME_ANCESTORS).toEqual(["'self'", 'https://portal.example.com', 'https://*.example.org:8443']);
  });

  it.each([
    ['a frame ancestor that would inject a directive', { LOGIN_PAGE_FRAME_ANCESTORS: "https://x.example; script-src 'unsafe-inline'" }],
    ['an allow-list entry that is not a URL', { ACRONIS_TARGET_ALLOWLIST: 'mc' }],
    ['an allow-list entry with a query', { ACRONIS_TARGET_ALLOWLIST: '{dc}/mc/?next=https://evil.example' }],
    ['a login field outside the user record', { ACRONIS_LOGIN_FIELD: 'constructor.prototype' }],
    ['an unknown URL style', { ACRONIS_URL_STYLE: 'path' }],
  ])('fail loudly on %s', (_name, env) => {
    expect(() => settings(env)).toThrow(ConfigurationError);
  });
});
