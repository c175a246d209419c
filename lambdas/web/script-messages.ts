import { CATALOGUES, type MessageKey } from '../core/i18n/catalogues';
import { en } from '../core/i18n/en';
import type { Translator } from '../core/i18n/translate';

/**
 * The messages of some catalogue groups for a page script's `#page-data`
 * (`messages`, read with scripts/page-texts.ts), placeholders left for the
 * script to fill. A plural message is sent as one entry per form (`key:one`,
 * `key:other`), which the script picks with `Intl.PluralRules` in the page's language.
 * A pattern is a key, or a group ending in `*` (`'security.script.*'`).
 */
export function scriptMessages({ locale }: Translator, patterns: readonly string[]): Record<string, string> {
  const catalogue = CATALOGUES[locale];
  const messages: Record<string, string> = {};
  for (const key of Object.keys(en) as MessageKey[]) {
    if (!patterns.some((pattern) => (pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : key === pattern))) continue;
    const message = catalogue[key];
    if (typeof message === 'string') messages[key] = message;
    else for (const [form, text] of Object.entries(message)) messages[`${key}:${form}`] = text;
  }
  return messages;
}
