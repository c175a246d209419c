/**
 * The languages the pages and emails speak. English is the default and the
 * fallback for anything unsupported; adding a language is one catalogue file
 * (docs/configuration.md) plus its entry here and in `catalogues.ts`.
 */
export const LOCALES = ['en', 'de', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language's name in that language, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', es: 'Español' };

/** `de-AT`, `DE`, `de_CH` -> `de`; anything unsupported -> undefined. */
export function supportedLocale(value: string | undefined | null): Locale | undefined {
  if (!value) return undefined;
  const primary = value.trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(primary) ? (primary as Locale) : undefined;
}
