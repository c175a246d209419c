import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES, type Catalogue } from '../../../../lambdas/core/i18n/catalogues';
import { en } from '../../../../lambdas/core/i18n/en';
import { LOCALES } from '../../../../lambdas/core/i18n/locales';

const ROOT = join(__dirname, '../../../..');
const CATALOGUE_DIR = join(ROOT, 'lambdas/core/i18n');

/** Every .ts file under lambdas/ except the catalogues themselves: where keys are used. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.startsWith(CATALOGUE_DIR) ? [path] : [];
  });
}

const englishKeys = Object.keys(en).sort();
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const texts = (message: unknown): string[] => (typeof message === 'string' ? [message] : Object.values(message as Record<string, string>));

describe('The language catalogues', () => {
  it.each(LOCALES)('%s has exactly the English keys, none missing and none extra', (locale) => {
    expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(englishKeys);
  });

  it.each(LOCALES)('%s fills the same placeholders as English in every message', (locale) => {
    const catalogue = CATALOGUES[locale] as Record<string, unknown>;
    for (const key of englishKeys) {
      const expected = placeholders(texts((en as Record<string, unknown>)[key]).join(' '));
      for (const text of texts(catalogue[key]))
        expect({ key, placeholders: [...new Set(placeholders(text))] }).toEqual({ key, placeholders: [...new Set(expected)] });
    }
  });

  it.each(LOCALES)('%s has no empty message and no English left untranslated in long texts', (locale) => {
    const catalogue = CATALOGUES[locale] as Record<string, unknown>;
    for (const key of englishKeys) {
      for (const text of texts(catalogue[key])) expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
      if (locale !== 'en' && typeof catalogue[key] === 'string' && (catalogue[key] as string).length > 30)
        expect({ key, same: catalogue[key] === (en as Record<string, unknown>)[key] }).toEqual({ key, same: false });
    }
  });

  it('makes a catalogue without one of English keys a type error (tsc checks this file)', () => {
    const { 'home.title': _dropped, ...withoutOne } = en;
    // @ts-expect-error a catalogue missing an English key does not compile
    const incomplete: Catalogue = withoutOne;
    // @ts-expect-error nor does one with a key English lacks
    const extra: Catalogue = { ...en, 'home.unknown': 'x' };
    expect(Object.keys(incomplete).length + 2).toBe(Object.keys(extra).length);
  });

  it('uses every key somewhere in the source (pages, scripts, emails): no unused message', () => {
    const source = sourceFiles(join(ROOT, 'lambdas'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = englishKeys.filter((key) => !source.includes(`'${key}'`));
    expect(unused).toEqual([]);
  });

  it('uses no key that the catalogue lacks (every quoted catalogue-shaped key in the source exists)', () => {
    const groups = [...new Set(englishKeys.map((key) => key.split('.')[0]))].join('|');
    const used = new Set(
      sourceFiles(join(ROOT, 'lambdas')).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(new RegExp(`'((?:${groups})\\.[A-Za-z.]+)'`, 'g'))].map((m) => m[1]),
      ),
    );
    expect([...used].filter((key) => !(key in en))).toEqual([]);
  });
});
