import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `bytes` of CSPRNG output as unpadded base64url. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 as base64url: how every bearer secret (refresh, reset, device codes) is stored. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** Constant-time string comparison; lengths are compared on digests so they leak nothing either. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

export function newId(): string {
  return randomBytes(16).toString('base64url');
}
