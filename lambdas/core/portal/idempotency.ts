import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { ValidationError } from '../errors';

/**
 * Idempotency-Key support for the portal's POSTs. A retried request must get
 * the first answer, and the first answer to "create a credential" contains a
 * client secret, which must never be stored in plain text. So the answer is
 * sealed (AES-256-GCM) under a key derived (HKDF-SHA256) from the caller's
 * Idempotency-Key and user id, and the record is found by a second value
 * derived the same way: the table holds neither the key nor anything that
 * opens the answer without it. Whoever retries with the same key, signed in as
 * the same user, gets exactly the first answer back, secret included; anyone
 * reading the table gets ciphertext. Keys must be long and random (a UUID)
 * because they are the only thing protecting a stored answer.
 */

/** 16-255 characters of the URL-safe alphabet plus `.` and `:` (a UUID qualifies). */
const KEY_PATTERN = /^[A-Za-z0-9._:-]{16,255}$/;

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The request's Idempotency-Key, validated; undefined when the header is absent. */
export function idempotencyKeyOf(headers: Record<string, string>): string | undefined {
  const value = headers[IDEMPOTENCY_HEADER];
  if (value === undefined) return undefined;
  const key = value.trim();
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationError('The Idempotency-Key header must be 16 to 255 characters of letters, digits, ".", ":", "_" or "-"; use a random UUID.', {
      'Idempotency-Key': 'Use a random UUID.',
    });
  }
  return key;
}

function derive(key: string, userId: string, purpose: 'lookup' | 'seal'): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(key, 'utf8'), Buffer.from(userId, 'utf8'), `loginbridge/portal/idempotency/${purpose}`, 32));
}

/** The table's handle on a key: unlinkable to the key, and to the same key used by another user. */
export function idempotencyKeyHash(key: string, userId: string): string {
  return derive(key, userId, 'lookup').toString('base64url');
}

/** What the request asked for, so a key cannot be replayed for a different request. */
export function requestFingerprint(operation: string, input: unknown): string {
  return createHash('sha256')
    .update(`${operation}\n${JSON.stringify(input)}`, 'utf8')
    .digest('base64url');
}

/** Seals `body` for `userId` under `key`, bound to `operation` (additional authenticated data). */
export function sealResponse(body: unknown, key: string, userId: string, operation: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(key, userId, 'seal'), iv);
  cipher.setAAD(Buffer.from(`${userId}\n${operation}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), Buffer.concat([ciphertext, cipher.getAuthTag()]).toString('base64url')].join('.');
}

/** Opens what `sealResponse` sealed; throws when the key, user or operation differ or the text was altered. */
export function openResponse(sealed: string, key: string, userId: string, operation: string): unknown {
  const [version, ivText, payloadText] = sealed.split('.');
  if (version !== 'v1' || !ivText || !payloadText) throw new Error('Unknown sealed response format.');
  const payload = Buffer.from(payloadText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', derive(key, userId, 'seal'), Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(`${userId}\n${operation}`, 'utf8'));
  decipher.setAuthTag(payload.subarray(payload.length - 16));
  const plain = Buffer.concat([decipher.update(payload.subarray(0, payload.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}
