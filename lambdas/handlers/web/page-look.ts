import { settings } from '../../config';
import { chooseLanguage } from '../../core/i18n/negotiate';
import type { HttpRequest } from '../../http/request';
import type { PageLook } from '../../web/page';

/**
 * The language and brand of a page for this request: `?lang=` (remembered),
 * then the `lang` cookie, then the account's locale when the caller knows it,
 * then Accept-Language, else English; the brand from BRAND_JSON.
 */
export function pageLook(request: HttpRequest, profileLocale?: string): PageLook {
  const { locale, remember } = chooseLanguage({
    query: request.query.lang,
    cookieHeader: request.headers.cookie,
    profileLocale,
    acceptLanguage: request.headers['accept-language'],
  });
  const { lang: _chosen, ...query } = request.query;
  return { locale, remember, brand: settings().BRAND_JSON, query };
}
