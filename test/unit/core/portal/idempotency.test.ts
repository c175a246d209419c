import { ValidationError } from '../../../../lambdas/core/errors';
import { idempotencyKeyHash, idempotencyKeyOf, openResponse, requestFingerprint, sealResponse } from '../../../../lambdas/core/portal/idempotency';

const KEY = '3f0e5a0c-2b1d-4a8e-9b7e-6c1f2d3e4a5b';
const BODY = { client_id: 'abc', client_secret: 'very-secret-value-1234567890' };

describe('Idempotency-Key sealing', () => {
  it('opens what it sealed with the same key, user and operation', () => {
    const sealed = sealResponse(BODY, KEY, 'user-1', 'create-credential');

    expect(openResponse(sealed, KEY, 'user-1', 'create-credential')).toEqual(BODY);
    expect(sealed).not.toContain('very-secret');
    expect(Buffer.from(sealed.split('.')[2], 'base64url').toString('latin1')).not.toContain('very-secret');
  });

  it.each([
    ['another key', 'aaaaaaaa-2b1d-4a8e-9b7e-6c1f2d3e4a5b', 'user-1', 'create-credential'],
    ['another user', KEY, 'user-2', 'create-credential'],
    ['another operation', KEY, 'user-1', 'rotate-credential'],
  ])('cannot be opened with %s', (_name, key, user, operation) => {
    const sealed = sealResponse(BODY, KEY, 'user-1', 'create-credential');

    expect(() => openResponse(sealed, key, user, operation)).toThrow();
  });

  it('refuses an altered sealed answer', () => {
    const sealed = sealResponse(BODY, KEY, 'user-1', 'create-credential');
    const [version, iv, payload] = sealed.split('.');
    const bytes = Buffer.from(payload, 'base64url');
    bytes[0] ^= 1;

    expect(() => openResponse([version, iv, bytes.toString('base64url')].join('.'), KEY, 'user-1', 'create-credential')).toThrow();
  });

  it('stores a handle that differs per user and never contains the key', () => {
    expect(idempotencyKeyHash(KEY, 'user-1')).not.toBe(idempotencyKeyHash(KEY, 'user-2'));
    expect(idempotencyKeyHash(KEY, 'user-1')).not.toContain(KEY);
    expect(requestFingerprint('op', { a: 1 })).not.toBe(requestFingerprint('op', { a: 2 }));
  });

  it('accepts a UUID key and refuses short or odd ones', () => {
    expect(idempotencyKeyOf({ 'idempotency-key': ` ${KEY} ` })).toBe(KEY);
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(() => idempotencyKeyOf({ 'idempotency-key': 'short' })).toThrow(ValidationError);
    expect(() => idempotencyKeyOf({ 'idempotency-key': `${KEY} with spaces` })).toThrow(ValidationError);
  });
});
