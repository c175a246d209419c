import { capitalized } from '../../../../lambdas/core/i18n/sentence';
import { translator } from '../../../../lambdas/core/i18n/translate';

describe('Translating', () => {
  it('fills named placeholders', () => {
    expect(translator('de').t('login.script.opening', { partner: 'Astrato' })).toBe('Angemeldet. Astrato wird geöffnet.');
  });

  it('chooses the plural form with Intl.PluralRules', () => {
    expect(translator('en').t('email.reset.expiry', { count: 1 })).toBe('The link works once and expires in 1 minute.');
    expect(translator('en').t('email.reset.expiry', { count: 30 })).toBe('The link works once and expires in 30 minutes.');
    expect(translator('es').t('email.verify.expiry', { count: 24 })).toBe('El enlace funciona una vez y caduca en 24 horas.');
  });

  it('formats numbers in the locale', () => {
    expect(translator('de').number(1234.5)).toBe('1.234,5');
    expect(translator('en').number(1234.5)).toBe('1,234.5');
  });

  it('formats dates in the locale, in UTC', () => {
    const when = '2026-12-07T14:05:00.000Z';
    expect(translator('de').dateTime(when)).toBe('7. Dezember 2026 um 14:05 UTC');
    expect(translator('es').dateTime(when)).toMatch(/^7 de diciembre de 2026.*14:05 UTC$/);
    expect(translator('en').dateTime(when)).toMatch(/^December 7, 2026.*2:05\s?PM UTC$/);
  });

  it('starts a sentence with a capital letter when it begins with an inserted name', () => {
    expect(capitalized('your TV app asks', 'en')).toBe('Your TV app asks');
  });
});
