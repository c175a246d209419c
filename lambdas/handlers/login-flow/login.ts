import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { loginBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { loginFlow } from '../../runtime';

/** POST /login-flow/login: email + password -> tokens. */
export const handler = httpHandler(
  async (request) => {
    const { email, password } = validate(loginBody, request.body);
    const tokens = await loginFlow().login(email, password, request.clientIp);
    count('SignInSucceeded');
    return ok(tokens);
  },
  { errorStyle: 'login-flow' },
);
