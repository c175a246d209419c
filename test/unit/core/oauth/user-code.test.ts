import fc from 'fast-check';
import { formatUserCode, generateUserCode, normalizeUserCode, USER_CODE_ALPHABET, USER_CODE_SPACE } from '../../../../lambdas/core/oauth/user-code';

describe('User codes', () => {
  it('are 8 letters from the 20 consonants of RFC 8628 §6.1, about 2.56e10 of them', () => {
    const codes = Array.from({ length: 500 }, generateUserCode);

    for (const code of codes) expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    expect(new Set(codes).size).toBe(500);
    expect(USER_CODE_SPACE).toBe(25_600_000_000);
  });

  it('use every letter about equally often', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 2000; index += 1) for (const letter of generateUserCode()) counts.set(letter, (counts.get(letter) ?? 0) + 1);

    // 16000 letters: 800 expected per letter; 600..1000 is far beyond chance for a uniform draw.
    expect([...counts.keys()].sort().join('')).toBe(USER_CODE_ALPHABET);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(600);
      expect(count).toBeLessThan(1000);
    }
  });

  it('are shown XXXX-XXXX and read back ignoring case, spaces and dashes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Array.from({ length: 50 }, generateUserCode)),
        fc.boolean(),
        fc.constantFrom('', '-', ' ', ' - ', '–'),
        (code, lower, separator) => {
          const typed = `${code.slice(0, 4)}${separator}${code.slice(4)}`;
          expect(normalizeUserCode(lower ? typed.toLowerCase() : typed)).toBe(code);
        },
      ),
    );
    expect(formatUserCode('BCDFGHJK')).toBe('BCDF-GHJK');
  });

  it.each(['', 'BCDF-GHJ', 'BCDF-GHJKL', 'ABCD-EFGH', 'BCDF-GHJ1', 'BCDF_GHJK'])('rejects %p as no code at all', (typed) => {
    expect(normalizeUserCode(typed)).toBeUndefined();
  });
});
