import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { passkeyAnswer } from '../../http/schemas/passkeys';
import { validate } from '../../http/validation';
import { loginFlow } from '../../runtime';

/** POST /login-flow/passkey/login `{challengeId, response}`: a passkey alone -> the same tokens as POST /login-flow/login. */
export const handler = httpHandler(
  async (request) => {
    const { challengeId, response } = validate(passkeyAnswer, request.body);
    const tokens = await loginFlow().loginWithPasskey({ challengeId, response: response as AuthenticationResponseJSON }, request.clientIp);
    count('SignInSucceeded');
    return ok(tokens);
  },
  { errorStyle: 'login-flow' },
);
