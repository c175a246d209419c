/**
 * How long a partner's access token lives when the partner does not always
 * say so. Acronis documents its token answer as `{id_token, access_token}`;
 * other examples of the same endpoint add `expires_in` (seconds) or
 * `expires_on` (epoch seconds). Read whichever is there, in that order, then
 * the access token's own `exp` when it is a JWT, and only then assume a
 * conservative lifetime: a token cached too briefly costs one extra call, a
 * token cached too long fails a hand-off.
 */
export interface TokenLifetimeHints {
  accessToken: string;
  expiresIn?: number;
  expiresOn?: number;
}

/** Acronis says its tokens live about two hours; without any hint we use a quarter of that. */
export const FALLBACK_TOKEN_LIFETIME_SECONDS = 1800;

export type TokenLifetimeSource = 'expires_in' | 'expires_on' | 'jwt_exp' | 'fallback';

export function tokenLifetime(hints: TokenLifetimeHints, nowSeconds: number): { seconds: number; source: TokenLifetimeSource } {
  if (usable(hints.expiresIn)) return { seconds: hints.expiresIn, source: 'expires_in' };
  if (hints.expiresOn !== undefined && usable(hints.expiresOn - nowSeconds)) return { seconds: hints.expiresOn - nowSeconds, source: 'expires_on' };
  const exp = jwtExpiry(hints.accessToken);
  if (exp !== undefined && usable(exp - nowSeconds)) return { seconds: exp - nowSeconds, source: 'jwt_exp' };
  return { seconds: FALLBACK_TOKEN_LIFETIME_SECONDS, source: 'fallback' };
}

/** A lifetime we can plan with: positive and not absurdly long (a clock or unit mix-up, e.g. milliseconds). */
function usable(seconds: number | undefined): seconds is number {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 && seconds <= 7 * 24 * 3600;
}

/**
 * The `exp` claim of a JWT, read without verifying it: the token is ours to
 * present, not to trust, and the partner checks it. Anything that is not a
 * three-part JWT with a numeric `exp` gives undefined.
 */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}
