/**
 * A rotated HMAC key, as its secret holds it: the current key, which derives
 * (signs) everything new, and the previous one, still accepted until the next
 * rotation so what was derived just before a rotation keeps working. Used for
 * the refresh-token key (successor tokens, lambdas/core/sessions.ts) and the
 * invitation key (invitation links).
 *
 * Stored as JSON `{"version":1,"current":"…","previous":"…"}`; a plain string
 * (a secret as the stack first creates it, before its first rotation) is the
 * current key alone.
 */
export interface HmacKeyRing {
  current: Uint8Array;
  previous?: Uint8Array;
}

/** Shorter than this is not a key we derive anything from. */
export const MIN_HMAC_KEY_CHARS = 32;

interface StoredRing {
  version: 1;
  current: string;
  previous?: string;
}

function storedRing(text: string): StoredRing | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed.length >= MIN_HMAC_KEY_CHARS ? { version: 1, current: trimmed } : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const ring = parsed as Partial<StoredRing>;
  const valid = (key: unknown) => typeof key === 'string' && key.length >= MIN_HMAC_KEY_CHARS;
  if (ring.version !== 1 || !valid(ring.current) || (ring.previous !== undefined && !valid(ring.previous))) return undefined;
  return { version: 1, current: ring.current as string, ...(ring.previous ? { previous: ring.previous } : {}) };
}

/** The ring a secret holds, or undefined when it holds no usable key. */
export function parseHmacKeyRing(text: string | undefined): HmacKeyRing | undefined {
  const ring = text === undefined ? undefined : storedRing(text);
  if (!ring) return undefined;
  return { current: Buffer.from(ring.current, 'utf8'), ...(ring.previous ? { previous: Buffer.from(ring.previous, 'utf8') } : {}) };
}

/** The secret's next value: `newKey` becomes current, the current key previous, the previous one is dropped. */
export function rotatedHmacKeyRing(text: string | undefined, newKey: string): string {
  if (newKey.length < MIN_HMAC_KEY_CHARS) throw new Error(`A new HMAC key has at least ${MIN_HMAC_KEY_CHARS} characters.`);
  const old = text === undefined ? undefined : storedRing(text);
  const next: StoredRing = { version: 1, current: newKey, ...(old ? { previous: old.current } : {}) };
  return JSON.stringify(next);
}

/** True when `pending` is what rotating `current` should give: a new current key, the old current kept as previous. */
export function promotesCurrentKey(current: string | undefined, pending: string | undefined): boolean {
  const before = current === undefined ? undefined : storedRing(current);
  const after = pending === undefined ? undefined : storedRing(pending);
  if (!after || after.current === before?.current) return false;
  return before ? after.previous === before.current : true;
}
