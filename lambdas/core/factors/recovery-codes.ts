import { randomBytes } from 'node:crypto';
import { sha256 } from '../random';

export const RECOVERY_CODE_COUNT = 10;
/** Without look-alikes (0/o, 1/l/i): codes are read off paper. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten single-use codes of 12 characters (about 59 bits each), shown once as `xxxx-xxxx-xxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** What is stored and compared: the code without case, spaces or dashes, hashed (high entropy, so a fast hash is enough). */
export function recoveryCodeHash(code: string): string {
  return sha256(`recovery:${code.toLowerCase().replace(/[\s-]/g, '')}`);
}

export const looksLikeRecoveryCode = (code: string) => /^[a-z0-9]{12}$/.test(code.toLowerCase().replace(/[\s-]/g, ''));
