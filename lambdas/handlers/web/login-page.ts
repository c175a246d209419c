import { settings } from '../../config';
import { ValidationError } from '../../core/errors';
import { SSO_PARTNERS } from '../../core/partners';
import { httpHandler } from '../../http/pipeline';
import { webSignInProviders } from '../../http/web-sign-in';
import { type LoginPartner, loginPage } from '../../web/login-page';
import { pageLook } from './page-look';

const PARTNERS: readonly LoginPartner[] = SSO_PARTNERS;

/**
 * GET /login[?partner=acronis[&target=...]]: the custom login page, for
 * Astrato by default (framable only by LOGIN_PAGE_FRAME_ANCESTORS). The
 * target is read by the page's script and checked by the allow-list on POST.
 */
export const handler = httpHandler(async (request) => {
  const partner = request.query.partner ?? PARTNERS[0];
  if (!PARTNERS.includes(partner as LoginPartner))
    throw new ValidationError(`Unknown partner: use ${PARTNERS.map((name) => `?partner=${name}`).join(' or ')}.`, { partner: `Use ${PARTNERS.join(' or ')}.` });
  return loginPage({
    frameAncestors: settings().LOGIN_PAGE_FRAME_ANCESTORS,
    partner: partner as LoginPartner,
    setupHints: settings().SHOW_SETUP_HINTS,
    look: pageLook(request),
    providers: webSignInProviders(),
  });
});
