import type { PasskeyAnswer } from '../../core/factors/passkeys';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { loginBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { loginFlow } from '../../runtime';

/** POST /login-flow/login: email + password (+ `otp` when the account has a second factor) -> tokens. */
export const handler = httpHandler(
  async (request) => {
    const { email, password, otp, passkey } = validate(loginBody, request.body);
    const tokens = await loginFlow().login(email, password, request.clientIp, {
      otp,
      passkey: passkey as PasskeyAnswer | undefined,
      correlationId: request.correlationId,
    });
    count('SignInSucceeded');
    return ok(tokens);
  },
  { errorStyle: 'login-flow' },
);
