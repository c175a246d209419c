import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { resetConfirmBody } from '../../http/schemas/password-reset';
import { validate } from '../../http/validation';
import { passwordReset } from '../../runtime';

/**
 * POST /login-flow/reset-password/confirm `{token, password, passwordConfirmation?}`:
 * sets the new password with a reset link's token (once), signs out every
 * device and emails the user. Failures: 403 `{formError, fieldErrors}`; a
 * link that cannot be used says why in `formError` with `error` =
 * `reset_link_used` / `reset_link_expired` / `reset_link_invalid`.
 */
export const handler = httpHandler(
  async (request) => {
    const { token, password } = validate(resetConfirmBody, request.body);
    const { emailSent } = await passwordReset().confirm(token, password);
    if (!emailSent) log.warn('password changed but the notification email could not be sent', { correlationId: request.correlationId });
    return ok({ status: 200, message: 'Your password was changed and every device was signed out. Sign in again with your new password.' });
  },
  { errorStyle: 'login-flow' },
);
