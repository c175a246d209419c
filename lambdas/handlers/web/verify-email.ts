import { type VerifyLinkState, verifyLinkMessage } from '../../core/email-verification';
import { StoreUnavailableError } from '../../core/errors';
import { httpHandler } from '../../http/pipeline';
import { allowedReturnTo } from '../../http/return-to';
import { emailVerification } from '../../runtime';
import { type VerifyPageState, verifyEmailPage } from '../../web/verify-email-page';
import { pageLook } from './page-look';

/**
 * GET /verify-email[?token=...]: the page the verification email links to.
 * It only looks at the link; confirming takes a click (a POST from the page),
 * so a link scanner fetching this page verifies nothing.
 */
export const handler = httpHandler(async (request) => {
  const token = (request.query.token ?? '').trim();
  const verification = emailVerification();
  let state: VerifyPageState = 'none';
  if (token) {
    try {
      state = await verification.inspect(token);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      state = 'unchecked';
    }
  }
  const problem =
    state === 'used' || state === 'expired' || state === 'invalid'
      ? verifyLinkMessage(state as Exclude<VerifyLinkState, 'valid'>, verification.validHours)
      : undefined;
  return verifyEmailPage({
    state,
    token,
    ...(problem ? { problem } : {}),
    validHours: verification.validHours,
    returnTo: allowedReturnTo(request.query.return_to),
    look: pageLook(request),
  });
});
