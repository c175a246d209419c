import { settings } from '../../config';
import type { PasskeyAnswer } from '../../core/factors/passkeys';
import type { HttpRequest } from '../../http/request';
import { emailVerification, passwordCheck } from '../../runtime';

/** What the login page sends for a partner hand-off: the password, and the second factor when one is asked for. */
export interface PasswordHandOffBody {
  email: string;
  password: string;
  otp?: string;
  passkey?: unknown;
}

/**
 * The sign-in step of a partner hand-off from the login page (`/sso/<partner>/login`): the password under the same
 * back-off as /login-flow/login, a second factor as every web sign-in requires it, then a verified email (a partner
 * is never handed an address nobody has proven to own). No LoginBridge session is started. Answers the user id.
 */
export async function signedInForHandOff(request: HttpRequest, body: PasswordHandOffBody): Promise<string> {
  const { userId } = await passwordCheck().verify(body.email, body.password, request.clientIp, {
    otp: body.otp,
    passkey: body.passkey as PasskeyAnswer | undefined,
    correlationId: request.correlationId,
    requireFactor: settings().MFA_REQUIRED_FOR_ALL_WEB_SIGN_INS,
  });
  await emailVerification().requireVerified(userId);
  return userId;
}
