import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { emailChangeConfirmBody } from '../../http/schemas/account';
import { validate } from '../../http/validation';
import { emailChange } from '../../runtime';

/**
 * POST /account/email-change/confirm `{token}`: the click on the page the
 * link to the new address opened; only this POST changes the email (a mail
 * scanner fetching the link changes nothing). A link that cannot be used
 * answers 400 `email_change_used` / `_expired` / `_invalid` / `_not_possible`.
 */
export const handler = httpHandler(async (request) => {
  const { token } = validate(emailChangeConfirmBody, request.body);
  const { email } = await emailChange().confirm(token);
  log.info('email changed', { correlationId: request.correlationId });
  return ok({ status: 200, email, message: `Your account's email address is now ${email}.` });
});
