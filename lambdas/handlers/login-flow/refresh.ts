import { refreshTokens } from '../../core/refresh';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { refreshBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { accessTokens, sessions, verifiedSignIn } from '../../runtime';

/**
 * POST /login-flow/refresh: the refresh use case (core/refresh.ts). Only a
 * platform that holds refresh back for unverified addresses
 * (LOGIN_REQUIRES_VERIFIED_EMAIL) pays for a profile read first
 * (docs/performance.md).
 */
export const handler = httpHandler(
  async (request) => {
    const { refresh_token } = validate(refreshBody, request.body);
    const response = await refreshTokens({ sessions: sessions(), tokens: accessTokens(), verifiedSignIn: verifiedSignIn() }, refresh_token);
    count('RefreshRotated');
    return ok(response);
  },
  { errorStyle: 'login-flow' },
);
