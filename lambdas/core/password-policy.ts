import { brotliDecompressSync } from 'node:zlib';
import { COMMON_PASSWORDS_BROTLI_BASE64 } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 8;
/** Long passphrases are welcome; the cap only bounds hashing work per request. */
export const PASSWORD_MAX_LENGTH = 256;

let commonPasswords: Set<string> | undefined;
function isCommon(password: string): boolean {
  commonPasswords ??= new Set(brotliDecompressSync(Buffer.from(COMMON_PASSWORDS_BROTLI_BASE64, 'base64')).toString('utf8').split('\n'));
  return commonPasswords.has(password.toLowerCase());
}

export interface PasswordContext {
  email?: string;
  firstName?: string;
  lastName?: string;
}

/**
 * ASVS 5.0 6.2: length rules, no composition rules, no common passwords.
 * Returns the message to show under the password field, or undefined when the
 * password is acceptable.
 */
export function passwordProblem(password: string, context: PasswordContext = {}): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (isCommon(password)) return 'This password is too common. Choose one that is harder to guess, such as a few unrelated words.';
  const folded = password.toLowerCase();
  const personal = [context.email, context.email?.split('@')[0], context.firstName, context.lastName]
    .filter((value): value is string => !!value && value.length >= 4)
    .map((value) => value.toLowerCase());
  if (personal.some((value) => folded === value)) return 'Do not use your name or email address as your password.';
  return undefined;
}
