import { settings } from '../../config';
import type { PasskeyAnswer } from '../../core/factors/passkeys';
import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { loginBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { astratoHandoff, emailVerification, passwordCheck } from '../../runtime';

/**
 * POST /sso/astrato/login: email + password (the login page) -> an Astrato
 * ticket. The password is checked under the same back-off as
 * /login-flow/login, and no LoginBridge session is started.
 */
export const handler = httpHandler(
  async (request) => {
    const { email, password, otp, passkey } = validate(loginBody, request.body);
    const { userId } = await passwordCheck().verify(email, password, request.clientIp, {
      otp,
      passkey: passkey as PasskeyAnswer | undefined,
      correlationId: request.correlationId,
      requireFactor: settings().MFA_REQUIRED_FOR_ALL_WEB_SIGN_INS,
    });
    await emailVerification().requireVerified(userId);
    const answer = await astratoHandoff().ticketFor(userId, { correlationId: request.correlationId });
    log.info('astrato ticket issued', { correlationId: request.correlationId, userId, via: 'password' });
    return ok(answer);
  },
  { errorStyle: 'login-flow' },
);
