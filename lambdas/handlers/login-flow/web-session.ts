import type { PasskeyAnswer } from '../../core/factors/passkeys';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { webSessionBody } from '../../http/schemas/federation';
import { validate } from '../../http/validation';
import { webSignIn } from '../../runtime';

/** POST /login-flow/web-session: the page's hand-off code (+ second factor, + the terms for a new account) -> the same tokens as POST /login-flow/login. */
export const handler = httpHandler(
  async (request) => {
    const { handoff, otp, passkey, approveTermsOfUse } = validate(webSessionBody, request.body);
    const tokens = await webSignIn().complete(
      handoff,
      { otp, passkey: passkey as PasskeyAnswer | undefined, approveTermsOfUse, correlationId: request.correlationId },
      request.clientIp,
    );
    count('SignInSucceeded');
    return ok(tokens);
  },
  { errorStyle: 'login-flow' },
);
