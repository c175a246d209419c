import { parseHmacKeyRing, promotesCurrentKey, rotatedHmacKeyRing } from '../../../lambdas/core/hmac-key-ring';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

describe('HMAC key rings', () => {
  it('reads a plain key (a secret before its first rotation) as the current key alone', () => {
    expect(parseHmacKeyRing(`${A}\n`)).toEqual({ current: Buffer.from(A) });
  });

  it('reads the current and previous key of a rotated secret', () => {
    expect(parseHmacKeyRing(JSON.stringify({ version: 1, current: B, previous: A }))).toEqual({ current: Buffer.from(B), previous: Buffer.from(A) });
  });

  it('refuses keys too short to derive anything from, and anything that is no ring', () => {
    expect(parseHmacKeyRing('short')).toBeUndefined();
    expect(parseHmacKeyRing(JSON.stringify({ version: 1, current: 'short' }))).toBeUndefined();
    expect(parseHmacKeyRing(JSON.stringify({ version: 2, current: A }))).toBeUndefined();
    expect(parseHmacKeyRing('{not json')).toBeUndefined();
    expect(parseHmacKeyRing(undefined)).toBeUndefined();
  });

  it('rotates: the new key becomes current, the current previous, the previous is dropped', () => {
    const once = rotatedHmacKeyRing(A, B);
    const twice = rotatedHmacKeyRing(once, C);

    expect(parseHmacKeyRing(once)).toEqual({ current: Buffer.from(B), previous: Buffer.from(A) });
    expect(parseHmacKeyRing(twice)).toEqual({ current: Buffer.from(C), previous: Buffer.from(B) });
    expect(promotesCurrentKey(once, twice)).toBe(true);
    expect(promotesCurrentKey(once, once)).toBe(false);
    expect(promotesCurrentKey(A, rotatedHmacKeyRing(undefined, C))).toBe(false);
  });
});
