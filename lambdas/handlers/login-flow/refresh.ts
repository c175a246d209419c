import { parseRefreshToken } from '../../core/sessions';
import { tokenResponse } from '../../core/token-response';
import { settings } from '../../config';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { refreshBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { accessTokens, emailVerification, sessions } from '../../runtime';

/**
 * POST /login-flow/refresh: rotate a refresh token in one conditional write;
 * the `email_verified` claim comes from the family. Only a platform that holds
 * refresh back for unverified addresses (LOGIN_REQUIRES_VERIFIED_EMAIL) pays
 * for a profile read first (docs/performance.md).
 */
export const handler = httpHandler(
  async (request) => {
    const { refresh_token } = validate(refreshBody, request.body);
    const located = parseRefreshToken(refresh_token);
    // Checked before rotating, so a refused refresh leaves the token usable once the address is confirmed.
    if (settings().LOGIN_REQUIRES_VERIFIED_EMAIL && located) await emailVerification().requireVerified(located.userId);
    const rotated = await sessions().rotate(refresh_token);
    count('RefreshRotated');
    return ok(await tokenResponse(accessTokens(), rotated, rotated.refreshToken, rotated.emailVerified));
  },
  { errorStyle: 'login-flow' },
);
