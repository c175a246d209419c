import { DEFAULT_LOCALE, type Locale, supportedLocale } from './locales';

/** The cookie that remembers an explicit choice (`?lang=`). */
export const LANGUAGE_COOKIE = 'lang';

/** Languages of an Accept-Language header, best first (q=0 means "not this one"). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.tag);
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export interface LanguageSignals {
  /** `?lang=` of this request: an explicit choice, to be remembered. */
  query?: string;
  cookieHeader?: string;
  /** The signed-in account's stored locale, when the caller knows it. */
  profileLocale?: string;
  acceptLanguage?: string;
}

export interface LanguageChoice {
  locale: Locale;
  /** Set when `?lang=` named a supported language: the page remembers it in the `lang` cookie. */
  remember: boolean;
}

/** Explicit choice, then the remembered choice, then the profile's locale, then Accept-Language, else English. */
export function chooseLanguage(signals: LanguageSignals): LanguageChoice {
  const explicit = supportedLocale(signals.query);
  if (explicit) return { locale: explicit, remember: true };
  const candidates = [cookieValue(signals.cookieHeader, LANGUAGE_COOKIE), signals.profileLocale, ...acceptedLanguages(signals.acceptLanguage)];
  for (const candidate of candidates) {
    const locale = supportedLocale(candidate);
    if (locale) return { locale, remember: false };
  }
  return { locale: DEFAULT_LOCALE, remember: false };
}

/** The Set-Cookie value remembering a choice for a year (not HttpOnly: it holds no secret, only a language). */
export const languageCookie = (locale: Locale): string => `${LANGUAGE_COOKIE}=${locale}; Path=/; Max-Age=31536000; Secure; SameSite=Lax`;
