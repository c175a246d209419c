import { createHash } from 'node:crypto';
import { type CryptoKey, createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTVerifyGetKey, SignJWT } from 'jose';
import { InvalidIdTokenError } from '../../../../lambdas/core/errors';
import { claimIsTrue, IdTokenVerifier } from '../../../../lambdas/core/federation/id-token';
import type { ProviderVerification } from '../../../../lambdas/core/federation/providers';

const NOW = 1_800_000_000;
const clock = { now: () => NOW * 1000 };
const APPLE: ProviderVerification = { provider: 'apple', issuers: ['https://appleid.apple.com'], clientIds: ['com.example.app'] };
const GOOGLE: ProviderVerification = {
  provider: 'google',
  issuers: ['https://accounts.google.com', 'accounts.google.com'],
  clientIds: ['web.apps.googleusercontent.com'],
};
const hex = (raw: string) => createHash('sha256').update(raw).digest('hex');

type Key = { kid: string; privateKey: CryptoKey; jwk: JWK };
async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey: privateKey as CryptoKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256' } };
}

let current: Key;
let other: Key;
beforeAll(async () => {
  current = await newKey('k1');
  other = await newKey('k2');
});

/** A key set that counts refetches and serves `published` as it stands at each fetch (as jose's remote set refetches on an unknown kid). */
function keySet(published: () => Key[]): { keys: JWTVerifyGetKey; fetches: () => number } {
  let fetches = 0;
  let cached = createLocalJWKSet({ keys: published().map((key) => key.jwk) });
  return {
    fetches: () => fetches,
    keys: async (header, token) => {
      try {
        return await cached(header, token);
      } catch {
        fetches += 1;
        cached = createLocalJWKSet({ keys: published().map((key) => key.jwk) });
        return cached(header, token);
      }
    },
  };
}

async function token(claims: Record<string, unknown>, options: { key?: Key; kid?: string; iss?: string; aud?: string; iat?: number; exp?: number } = {}) {
  const key = options.key ?? current;
  return new SignJWT({ sub: 'user-1', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid })
    .setIssuer(options.iss ?? 'https://appleid.apple.com')
    .setAudience(options.aud ?? 'com.example.app')
    .setIssuedAt(options.iat ?? NOW)
    .setExpirationTime(options.exp ?? NOW + 600)
    .sign(key.privateKey);
}

const apple = (keys = keySet(() => [current]).keys) => new IdTokenVerifier(APPLE, keys, clock);
const google = (settings: Partial<ProviderVerification> = {}) => new IdTokenVerifier({ ...GOOGLE, ...settings }, keySet(() => [current]).keys, clock);
const refused = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(InvalidIdTokenError);

describe('IdTokenVerifier', () => {
  it('accepts an Apple token whose nonce is the SHA-256 hex of the raw nonce, with string booleans', async () => {
    const identity = await apple().verify(
      await token({ nonce: hex('raw-1'), email: 'A@privaterelay.appleid.com', email_verified: 'true', is_private_email: 'true' }),
      'raw-1',
    );
    expect(identity).toMatchObject({
      provider: 'apple',
      sub: 'user-1',
      email: 'a@privaterelay.appleid.com',
      emailVerified: true,
      isPrivateEmail: true,
      expiresAt: NOW + 600,
    });
  });

  it('reads Apple email_verified "false" as unverified, and a missing email as no email', async () => {
    expect(await apple().verify(await token({ nonce: hex('n'), email: 'a@example.com', email_verified: 'false' }), 'n')).toMatchObject({
      emailVerified: false,
    });
    const noEmail = await apple().verify(await token({ nonce: hex('n'), email_verified: true }), 'n');
    expect(noEmail.email).toBeUndefined();
    expect(noEmail.emailVerified).toBe(false);
  });

  it('refuses an Apple token whose nonce is the raw nonce (Apple carries its hash)', async () =>
    refused(apple().verify(await token({ nonce: 'raw-1' }), 'raw-1')));
  it('refuses a nonce mismatch and a missing nonce', async () => {
    await refused(apple().verify(await token({ nonce: hex('other') }), 'raw-1'));
    await refused(apple().verify(await token({}), 'raw-1'));
    await refused(apple().verify(await token({ nonce: hex('') }), ''));
  });
  it('refuses a wrong issuer', async () => refused(apple().verify(await token({ nonce: hex('n') }, { iss: 'https://evil.example' }), 'n')));
  it('refuses an audience outside the allow-list', async () => refused(apple().verify(await token({ nonce: hex('n') }, { aud: 'com.other.app' }), 'n')));
  it('refuses a token expired beyond the skew, accepts one within it', async () => {
    await refused(apple().verify(await token({ nonce: hex('n') }, { iat: NOW - 700, exp: NOW - 61 }), 'n'));
    await expect(apple().verify(await token({ nonce: hex('n') }, { iat: NOW - 700, exp: NOW - 30 }), 'n')).resolves.toBeDefined();
  });
  it('refuses a token issued in the future beyond the skew', async () => refused(apple().verify(await token({ nonce: hex('n') }, { iat: NOW + 120 }), 'n')));
  it('refuses a bad signature under a published kid', async () => refused(apple().verify(await token({ nonce: hex('n') }, { key: other, kid: 'k1' }), 'n')));
  it('refuses a token that is not a JWT', () => refused(apple().verify('not-a-token', 'n')));

  it('refetches the key set on an unknown kid (a rotation), then accepts', async () => {
    let published = [current];
    const set = keySet(() => published);
    const verifier = apple(set.keys);
    published = [current, other];
    await expect(verifier.verify(await token({ nonce: hex('n') }, { key: other }), 'n')).resolves.toMatchObject({ sub: 'user-1' });
    expect(set.fetches()).toBe(1);
  });

  it('Google: compares the raw nonce, accepts both issuer forms, reads email_verified as a boolean', async () => {
    const claims = { nonce: 'raw', email: 'p@example.com', email_verified: true };
    for (const iss of ['https://accounts.google.com', 'accounts.google.com'])
      expect(await google().verify(await token(claims, { iss, aud: 'web.apps.googleusercontent.com' }), 'raw')).toMatchObject({ emailVerified: true });
    await refused(google().verify(await token({ nonce: hex('raw') }, { iss: 'accounts.google.com', aud: 'web.apps.googleusercontent.com' }), 'raw'));
  });

  it('Google: with a hosted domain, only tokens whose hd is that domain', async () => {
    const options = { iss: 'accounts.google.com', aud: 'web.apps.googleusercontent.com' };
    const verifier = google({ hostedDomain: 'example.com' });
    await expect(verifier.verify(await token({ nonce: 'n', hd: 'example.com' }, options), 'n')).resolves.toBeDefined();
    await refused(verifier.verify(await token({ nonce: 'n', hd: 'other.com' }, options), 'n'));
    await refused(verifier.verify(await token({ nonce: 'n' }, options), 'n'));
  });

  it('keys the one-use mark by provider, sub and jti (or the token hash)', async () => {
    const withJti = await apple().verify(await token({ nonce: hex('n'), jti: 'j-1' }), 'n');
    expect(withJti.replayKey).toBe('apple#user-1#j-1');
    const first = await apple().verify(await token({ nonce: hex('n'), extra: 1 }), 'n');
    const second = await apple().verify(await token({ nonce: hex('n'), extra: 2 }), 'n');
    expect(first.replayKey).not.toBe(second.replayKey);
  });

  it('reads only true and "true" as true', () => {
    expect([true, 'true', 'TRUE', 'false', false, 1, undefined].map(claimIsTrue)).toEqual([true, true, false, false, false, false, false]);
  });
});
