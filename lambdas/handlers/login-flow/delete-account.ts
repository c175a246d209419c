import { accessTokenFromCtx } from '../../core/ctx';
import { httpHandler } from '../../http/pipeline';
import { bearerToken } from '../../http/request';
import { ok } from '../../http/responses';
import { loginFlow } from '../../runtime';

/**
 * POST /login-flow/delete-account?ctx=...: deletes the account of the access
 * token found in `ctx` (or in `Authorization: Bearer`). Idempotent.
 */
export const handler = httpHandler(
  async (request) => {
    const token = accessTokenFromCtx(request.query.ctx) ?? bearerToken(request.headers);
    await loginFlow().deleteAccount(token);
    return ok({ status: 200, message: 'The account has been deleted.' });
  },
  { errorStyle: 'login-flow' },
);
