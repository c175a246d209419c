import { settings } from '../../config';
import type { PasskeyAnswer } from '../../core/factors/passkeys';
import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { acronisLoginBody } from '../../http/schemas/sso';
import { validate } from '../../http/validation';
import { acronisHandoff, emailVerification, passwordCheck } from '../../runtime';

/**
 * POST /sso/acronis/login: email + password (the login page with
 * ?partner=acronis) + optional allow-listed target -> Acronis's
 * external-login URL. The password is checked first, under the same back-off
 * as /login-flow/login, so a stranger learns nothing about the allow-list;
 * no LoginBridge session is started.
 */
export const handler = httpHandler(
  async (request) => {
    const { email, password, otp, passkey, target_uri } = validate(acronisLoginBody, request.body);
    const { userId } = await passwordCheck().verify(email, password, request.clientIp, {
      otp,
      passkey: passkey as PasskeyAnswer | undefined,
      correlationId: request.correlationId,
      requireFactor: settings().MFA_REQUIRED_FOR_ALL_WEB_SIGN_INS,
    });
    // Acronis trusts the identity we hand it: an address nobody has proven to own never goes there.
    await emailVerification().requireVerified(userId);
    const answer = await acronisHandoff().linkFor(userId, target_uri, { correlationId: request.correlationId });
    log.info('acronis login link issued', { correlationId: request.correlationId, userId, via: 'password' });
    return ok(answer);
  },
  { errorStyle: 'login-flow' },
);
