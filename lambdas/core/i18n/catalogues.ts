import { de } from './de';
import { en } from './en';
import { es } from './es';
import type { Locale } from './locales';

export type MessageKey = keyof typeof en;
/** The `Intl.PluralRules` forms a plural message gives (`other` always; `one` where the language has it). */
export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}
export type Message = string | PluralForms;
/** Exactly English's keys, each a text where English has a text and plural forms where English has them. */
export type Catalogue = { [K in MessageKey]: (typeof en)[K] extends string ? string : PluralForms };

export const CATALOGUES: Record<Locale, Catalogue> = { en, de, es };
