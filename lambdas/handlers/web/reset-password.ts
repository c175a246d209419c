import { StoreUnavailableError } from '../../core/errors';
import { resetLinkMessage } from '../../core/password-reset';
import { httpHandler } from '../../http/pipeline';
import { allowedReturnTo } from '../../http/return-to';
import { passwordReset } from '../../runtime';
import { type ResetPageState, resetPasswordPage } from '../../web/reset-password-page';
import { pageLook } from './page-look';

/**
 * GET /reset-password[?token=...]: the page the reset email links to. It
 * checks the link (without spending it) so a used or expired link is
 * explained before anyone types a new password.
 */
export const handler = httpHandler(async (request) => {
  const token = (request.query.token ?? '').trim();
  const reset = passwordReset();
  let state: ResetPageState = 'none';
  if (token) {
    try {
      state = await reset.inspect(token);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      state = 'unchecked';
    }
  }
  const problem = state === 'used' || state === 'expired' || state === 'invalid' ? resetLinkMessage(state, reset.validMinutes) : undefined;
  return resetPasswordPage({
    state,
    token,
    validMinutes: reset.validMinutes,
    ...(problem ? { problem } : {}),
    returnTo: allowedReturnTo(request.query.return_to),
    look: pageLook(request),
  });
});
