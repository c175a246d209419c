import type { AccessTokens } from './access-tokens';
import type { VerifiedSignIn } from './email-verification';
import { parseRefreshToken, type Sessions } from './sessions';
import { type TokenResponse, tokenResponse } from './token-response';

export interface RefreshDeps {
  sessions: Pick<Sessions, 'rotate'>;
  tokens: AccessTokens;
  /** With LOGIN_REQUIRES_VERIFIED_EMAIL: an unverified address is refused (absent when off, so a refresh reads nothing more). */
  verifiedSignIn?: VerifiedSignIn;
}

/**
 * The refresh use case, for the Login Flow's POST /login-flow/refresh and the
 * OAuth `refresh_token` grant: one conditional write rotates the token, and
 * the `email_verified` claim rides on the family (stamped at sign-in, set when
 * the address is confirmed). The verified-address gate is checked before
 * rotating, so a refused refresh leaves the token usable once the address is
 * confirmed. `clientId` binds the rotation to the OAuth client the family was
 * issued to.
 */
export async function refreshTokens(deps: RefreshDeps, refreshToken: string, clientId?: string): Promise<TokenResponse> {
  const located = deps.verifiedSignIn ? parseRefreshToken(refreshToken) : undefined;
  if (located && deps.verifiedSignIn) await deps.verifiedSignIn.requireVerified(located.userId);
  const rotated = await deps.sessions.rotate(refreshToken, clientId);
  return tokenResponse(deps.tokens, rotated, rotated.refreshToken, located ? true : rotated.emailVerified);
}
