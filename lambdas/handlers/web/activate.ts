import { formatUserCode, normalizeUserCode } from '../../core/oauth/user-code';
import { httpHandler } from '../../http/pipeline';
import { webSignInProviders } from '../../http/web-sign-in';
import { activatePage } from '../../web/activate-page';
import { pageLook } from './page-look';

/** GET /activate[?user_code=XXXX-XXXX]: the page where a person connects a TV. Static: no table, no key. */
export const handler = httpHandler(async (request) => {
  const typed = request.query.user_code ?? '';
  const code = normalizeUserCode(typed);
  // Whatever was in the URL only pre-fills the field (through the JSON island, never into markup or script).
  return activatePage({ userCode: code ? formatUserCode(code) : typed.slice(0, 32), look: pageLook(request), providers: webSignInProviders() });
});
