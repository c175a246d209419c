import { sha256 } from './random';

/**
 * Emails are compared in one canonical form: trimmed and lower-cased. The
 * local part is case-folded too: treating `Ann@x.com` and `ann@x.com` as two
 * accounts confuses people far more often than it helps anyone.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Deliberately simple (one @, a dot in the domain, no spaces): the only real
// check of an address is the email that reaches it.
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_SHAPE.test(value);
}

/** a***@example.com: enough for the owner to recognise an address without spelling it out to anyone else. */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * What a deleted account leaves behind is keyed by this, not by the address:
 * the SHA-256 of the normalised address, so the table holds no readable
 * address of a deleted user (a guessed address can still be tested, which is
 * the point: registration and migration test it).
 */
export function addressHash(email: string): string {
  return sha256(normalizeEmail(email));
}
