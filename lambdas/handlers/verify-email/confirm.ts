import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { verifyConfirmBody } from '../../http/schemas/password-reset';
import { validate } from '../../http/validation';
import { emailVerification } from '../../runtime';

/**
 * POST /verify-email/confirm `{token}`: the click on the page the emailed link
 * opened. Only this POST verifies, so a mail scanner that fetches the link
 * verifies nothing. A link that cannot be used answers 400 with `error` =
 * `verify_link_used` / `verify_link_expired` / `verify_link_invalid`.
 */
export const handler = httpHandler(async (request) => {
  const { token } = validate(verifyConfirmBody, request.body);
  const { email } = await emailVerification().confirm(token);
  log.info('email verified', { correlationId: request.correlationId });
  return ok({ status: 200, verified: true, email, message: 'Thank you: your email address is confirmed.' });
});
