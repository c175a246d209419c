import { CATALOGUES, type Message, type MessageKey, type PluralForms } from './catalogues';
import type { Locale } from './locales';

export type Params = Record<string, string | number>;

/** `{name}` placeholders filled from params; numbers in the locale's format; a missing param stays visible as `{name}`. */
function fill(template: string, locale: Locale, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

const isPlural = (message: Message): message is PluralForms => typeof message !== 'string';

export interface Translator {
  locale: Locale;
  /** A message with its placeholders filled; plural messages use `{count}`'s form. */
  t(key: MessageKey, params?: Params): string;
  /** A date and time in the locale's words, e.g. "7. Dezember 2026, 14:05". */
  dateTime(value: Date | string | number): string;
  number(value: number): string;
}

export function translator(locale: Locale): Translator {
  const catalogue = CATALOGUES[locale];
  const plurals = new Intl.PluralRules(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return {
    locale,
    t(key, params) {
      const message = catalogue[key];
      if (!isPlural(message)) return fill(message, locale, params);
      const count = Number(params?.count ?? 0);
      const form = plurals.select(count) as keyof PluralForms;
      return fill(message[form] ?? message.other, locale, params);
    },
    dateTime: (value) => `${dates.format(new Date(value))} UTC`,
    number: (value) => new Intl.NumberFormat(locale).format(value),
  };
}
