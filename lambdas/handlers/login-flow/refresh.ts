import { tokenResponse } from '../../core/token-response';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { refreshBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { accessTokens, sessions } from '../../runtime';

/**
 * POST /login-flow/refresh: rotate a refresh token. It reaches for sessions
 * and access tokens only, not the whole LoginFlow, so this function's bundle
 * carries neither the password policy nor the mailer (docs/performance.md).
 */
export const handler = httpHandler(
  async (request) => {
    const { refresh_token } = validate(refreshBody, request.body);
    const rotated = await sessions().rotate(refresh_token);
    count('RefreshRotated');
    return ok(await tokenResponse(accessTokens(), rotated, rotated.refreshToken));
  },
  { errorStyle: 'login-flow' },
);
