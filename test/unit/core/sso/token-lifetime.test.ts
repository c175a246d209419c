import { FALLBACK_TOKEN_LIFETIME_SECONDS, jwtExpiry, tokenLifetime } from '../../../../lambdas/core/sso/token-lifetime';

const NOW = 1_800_000_000;
const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('tokenLifetime', () => {
  it('takes expires_in first', () => {
    expect(tokenLifetime({ accessToken: jwt({ exp: NOW + 60 }), expiresIn: 7200, expiresOn: NOW + 100 }, NOW)).toEqual({ seconds: 7200, source: 'expires_in' });
  });

  it('reads expires_on as epoch seconds when expires_in is absent', () => {
    expect(tokenLifetime({ accessToken: 'opaque', expiresOn: NOW + 7000 }, NOW)).toEqual({ seconds: 7000, source: 'expires_on' });
  });

  it("uses the access token's own exp when the answer is the documented minimal shape", () => {
    expect(tokenLifetime({ accessToken: jwt({ exp: NOW + 7200 }) }, NOW)).toEqual({ seconds: 7200, source: 'jwt_exp' });
  });

  it('assumes a conservative lifetime when nothing says how long the token lives', () => {
    expect(tokenLifetime({ accessToken: 'opaque-token' }, NOW)).toEqual({ seconds: FALLBACK_TOKEN_LIFETIME_SECONDS, source: 'fallback' });
    expect(FALLBACK_TOKEN_LIFETIME_SECONDS).toBeLessThan(7200);
  });

  it('skips hints that are already past, non-positive or absurd (milliseconds sent as seconds)', () => {
    expect(tokenLifetime({ accessToken: jwt({ exp: NOW - 10 }), expiresIn: 0, expiresOn: NOW - 5 }, NOW).source).toBe('fallback');
    expect(tokenLifetime({ accessToken: 'x', expiresIn: 7200 * 1000 * 1000, expiresOn: (NOW + 7200) * 1000 }, NOW).source).toBe('fallback');
  });
});

describe('jwtExpiry', () => {
  it('reads exp without trusting anything else, and gives undefined for what is not a JWT', () => {
    expect(jwtExpiry(jwt({ exp: 42 }))).toBe(42);
    expect(jwtExpiry(jwt({ exp: '42' }))).toBeUndefined();
    expect(jwtExpiry('a.b')).toBeUndefined();
    expect(jwtExpiry('a.!!!.c')).toBeUndefined();
    expect(jwtExpiry('')).toBeUndefined();
  });
});
