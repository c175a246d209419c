import { randomInt } from 'node:crypto';

/**
 * User codes as RFC 8628 §6.1 suggests: 8 characters from 20 consonants, so
 * no vowels (no words), no digits and no look-alikes (0/O, 1/I). 20^8 ≈ 2.56e10
 * codes, about 34.5 bits.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;
/** 20^8: how many different user codes exist. */
export const USER_CODE_SPACE = USER_CODE_ALPHABET.length ** USER_CODE_LENGTH;

const CANONICAL = new RegExp(`^[${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}}$`);

/** A fresh code in canonical form (8 letters, no dash); `randomInt` is uniform, so every code is equally likely. */
export function generateUserCode(): string {
  let code = '';
  for (let index = 0; index < USER_CODE_LENGTH; index += 1) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/**
 * What the user typed -> the canonical code, or undefined when it cannot be a
 * code at all. Case, dashes and spaces do not matter (RFC 8628 §6.1).
 */
export function normalizeUserCode(input: string): string | undefined {
  const folded = input.toUpperCase().replace(/[\s\-‐-―]/g, '');
  return CANONICAL.test(folded) ? folded : undefined;
}

/** `BCDFGHJK` -> `BCDF-GHJK`, the way the TV shows it. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
