import { acceptedLanguages, chooseLanguage, cookieValue, languageCookie } from '../../../../lambdas/core/i18n/negotiate';

describe('Choosing the language', () => {
  it('orders Accept-Language by q-value, keeping the header order for equal weights and dropping q=0', () => {
    expect(acceptedLanguages('fr;q=0.4, es-MX;q=0.9, de-AT, en;q=0, *;q=0.1')).toEqual(['de-AT', 'es-MX', 'fr']);
  });

  it('takes the first supported language of Accept-Language, by weight', () => {
    expect(chooseLanguage({ acceptLanguage: 'fr-FR, es;q=0.8, de;q=0.9' }).locale).toBe('de');
  });

  it('falls back to English for unsupported or missing languages', () => {
    expect(chooseLanguage({ acceptLanguage: 'fr, it;q=0.5' })).toEqual({ locale: 'en', remember: false });
    expect(chooseLanguage({})).toEqual({ locale: 'en', remember: false });
    expect(chooseLanguage({ query: 'xx' }).locale).toBe('en');
  });

  it('prefers an explicit ?lang= over everything, and asks to remember it', () => {
    expect(chooseLanguage({ query: 'es', cookieHeader: 'lang=de', profileLocale: 'de', acceptLanguage: 'de' })).toEqual({ locale: 'es', remember: true });
  });

  it('prefers the remembered cookie over the profile, and the profile over Accept-Language', () => {
    expect(chooseLanguage({ cookieHeader: 'a=1; lang=de', profileLocale: 'es', acceptLanguage: 'en' }).locale).toBe('de');
    expect(chooseLanguage({ profileLocale: 'es', acceptLanguage: 'de' }).locale).toBe('es');
  });

  it('ignores a cookie naming an unsupported language', () => {
    expect(chooseLanguage({ cookieHeader: 'lang=<script>', acceptLanguage: 'es' }).locale).toBe('es');
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('x=1; lang=es; y=2', 'lang')).toBe('es');
    expect(cookieValue(undefined, 'lang')).toBeUndefined();
  });

  it('remembers the choice in a Secure, SameSite=Lax cookie for the whole site', () => {
    expect(languageCookie('de')).toBe('lang=de; Path=/; Max-Age=31536000; Secure; SameSite=Lax');
  });
});
