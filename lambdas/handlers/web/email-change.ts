import { emailChangeLinkMessage } from '../../core/email-change';
import { StoreUnavailableError } from '../../core/errors';
import { httpHandler } from '../../http/pipeline';
import { allowedReturnTo } from '../../http/return-to';
import { emailChange } from '../../runtime';
import { emailChangePage } from '../../web/email-change-page';
import { pageLook } from './page-look';

/**
 * GET /account/email-change?token=...[&return_to=...]: the page the link to
 * the new address opens. It only looks at the link; the change takes a
 * click (a POST from the page).
 */
export const handler = httpHandler(async (request) => {
  const token = (request.query.token ?? '').trim();
  let state: 'valid' | 'used' | 'expired' | 'invalid' | 'unchecked' = 'invalid';
  if (token) {
    try {
      state = await emailChange().inspect(token);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      state = 'unchecked';
    }
  }
  const problem = state === 'used' || state === 'expired' || state === 'invalid' ? emailChangeLinkMessage(state) : '';
  return emailChangePage({ state, token, problem, returnTo: allowedReturnTo(request.query.return_to), look: pageLook(request) });
});
