import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { passwordChangeBody } from '../../http/schemas/account';
import { validate } from '../../http/validation';
import { accountSelfService } from '../../runtime';
import { authenticatedSession } from '../sso/authenticated';

/**
 * POST /login-flow/change-password (Bearer): a new password, proven by the
 * current one (or a recent second factor for an account that has one); other
 * sessions end unless `signOutOtherSessions` is false.
 */
export const handler = httpHandler(async (request) => {
  const session = await authenticatedSession(request);
  const input = validate(passwordChangeBody, request.body);
  const changed = await accountSelfService().changePassword(session, input, request.clientIp);
  return ok({ status: 200, message: 'Your password has been changed.', ...changed });
});
