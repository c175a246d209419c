import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { refreshBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { loginFlow } from '../../runtime';

/** POST /login-flow/refresh: rotate a refresh token. */
export const handler = httpHandler(
  async (request) => {
    const { refresh_token } = validate(refreshBody, request.body);
    const tokens = await loginFlow().refresh(refresh_token);
    count('RefreshRotated');
    return ok(tokens);
  },
  { errorStyle: 'login-flow' },
);
