import { EMAIL_CHANGE_REQUESTED } from '../../core/email-change';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { emailChangeBody } from '../../http/schemas/account';
import { validate } from '../../http/validation';
import { emailChange } from '../../runtime';
import { authenticatedSession } from '../sso/authenticated';

/**
 * POST /login-flow/change-email (Bearer): mails a link to the new address
 * (the change happens when it is confirmed) and a notice to the current one.
 * The same answer whether or not another account has the new address.
 */
export const handler = httpHandler(async (request) => {
  const session = await authenticatedSession(request);
  const input = validate(emailChangeBody, request.body);
  await emailChange().request(session, input, request.clientIp);
  return ok({ status: 200, pendingEmail: input.newEmail, message: EMAIL_CHANGE_REQUESTED(input.newEmail) });
});
