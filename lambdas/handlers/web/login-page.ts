import { settings } from '../../config';
import { ValidationError } from '../../core/errors';
import { httpHandler } from '../../http/pipeline';
import { loginPage, type LoginPartner } from '../../web/login-page';

const PARTNERS: readonly LoginPartner[] = ['astrato', 'acronis'];

/**
 * GET /login[?partner=acronis[&target=...]]: the custom login page, for
 * Astrato by default (framable only by LOGIN_PAGE_FRAME_ANCESTORS). The
 * target is read by the page's script and checked by the allow-list on POST.
 */
export const handler = httpHandler(async (request) => {
  const partner = request.query.partner ?? 'astrato';
  if (!PARTNERS.includes(partner as LoginPartner))
    throw new ValidationError('Unknown partner: use ?partner=astrato or ?partner=acronis.', { partner: 'Use astrato or acronis.' });
  return loginPage({ frameAncestors: settings().LOGIN_PAGE_FRAME_ANCESTORS, partner: partner as LoginPartner, setupHints: settings().SHOW_SETUP_HINTS });
});
