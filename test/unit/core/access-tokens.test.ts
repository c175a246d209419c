import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { AccessTokens } from '../../../lambdas/core/access-tokens';
import { type KeySet, newKeySet, rotateKeySet } from '../../../lambdas/core/key-set';

describe('AccessTokens', () => {
  let set: KeySet;
  let now = Date.UTC(2026, 5, 1);
  const clock = { now: () => now };
  const source = { get: async () => set, reload: async () => set };
  const settings = { issuer: 'https://login.example.com', audience: 'loginbridge', ttlSeconds: 900 };
  const tokens = () => new AccessTokens(source, settings, clock);

  beforeEach(async () => {
    set = await newKeySet(new Date());
    now = Date.UTC(2026, 5, 1);
  });

  it('issues ES256 tokens with kid, iss, aud, sub, sid, iat, exp and jti that verify', async () => {
    const issued = await tokens().issue('user-1', 'family-1');

    const claims = await tokens().verify(issued.token);

    expect(claims).toMatchObject({ sub: 'user-1', sid: 'family-1', iss: settings.issuer, aud: settings.audience, jti: expect.any(String) });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(JSON.parse(Buffer.from(issued.token.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'ES256', kid: set.keys[1].kid });
  });

  it('keeps verifying tokens of the previous key after a rotation, and signs with the new current key', async () => {
    const before = await tokens().issue('user-1', 'family-1');
    set = await rotateKeySet(set, new Date());

    const after = await tokens().issue('user-1', 'family-1');

    await expect(tokens().verify(before.token)).resolves.toMatchObject({ sub: 'user-1' });
    expect(JSON.parse(Buffer.from(after.token.split('.')[0], 'base64url').toString()).kid).toBe(set.keys[1].kid);
  });

  it('refuses a token signed with our key but without typ at+jwt (RFC 9068), such as another kind of JWT', async () => {
    const current = set.keys[1];
    const { importJWK } = await import('jose');
    const forged = await new SignJWT({ sid: 'family-1' })
      .setProtectedHeader({ alg: 'ES256', kid: current.kid, typ: 'JWT' })
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setSubject('user-1')
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + 900)
      .setJti('j')
      .sign(await importJWK(current.privateJwk, 'ES256'));

    await expect(tokens().verify(forged)).rejects.toThrow('The access token is not valid.');
  });

  it('refuses a token issued more than the clock skew in the future, and accepts one issued 5 s ahead', async () => {
    const ahead = (seconds: number) => new AccessTokens(source, settings, { now: () => now + seconds * 1000 }).issue('user-1', 'family-1');

    await expect(tokens().verify((await ahead(60)).token)).rejects.toThrow('The access token is not valid.');
    await expect(tokens().verify((await ahead(5)).token)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('accepts an expired token within the grace asked for, and only within it', async () => {
    const issued = await tokens().issue('user-1', 'family-1');
    now += 3600_000;

    await expect(tokens().verify(issued.token, { expiredGraceSeconds: 7200 })).resolves.toMatchObject({ sub: 'user-1' });
    await expect(tokens().verify(issued.token, { expiredGraceSeconds: 600 })).rejects.toThrow(/expired/);
  });

  it('verifies with the public keys document alone when given one, never reading the private set', async () => {
    const { publicKeySet } = await import('../../../lambdas/core/key-set');
    const issued = await tokens().issue('user-1', 'family-1');
    const privateReads = { count: 0 };
    const noPrivate = { get: async () => ((privateReads.count += 1), set), reload: async () => ((privateReads.count += 1), set) };
    const published = publicKeySet(set);

    const verifier = new AccessTokens(noPrivate, settings, clock, { get: async () => published, reload: async () => published });

    await expect(verifier.verify(issued.token)).resolves.toMatchObject({ sub: 'user-1' });
    expect(privateReads.count).toBe(0);
    expect(JSON.stringify(published)).not.toContain('"d"');
  });

  it('rejects expired tokens', async () => {
    const issued = await tokens().issue('user-1', 'family-1');
    now += 16 * 60_000;

    await expect(tokens().verify(issued.token)).rejects.toThrow(/expired/);
  });

  it.each([
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ sub: 'user-1', sid: 's', jti: 'j' })
          .setIssuer(settings.issuer)
          .setAudience(settings.audience)
          .setIssuedAt()
          .setExpirationTime('5m')
          .encode(),
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const publicJwk = { ...set.keys[1].privateJwk };
        delete publicJwk.d;
        const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: set.keys[1].kid })).toString('base64url');
        const payload = Buffer.from(
          JSON.stringify({ sub: 'user-1', sid: 's', jti: 'j', iss: settings.issuer, aud: settings.audience, iat: now / 1000, exp: now / 1000 + 60 }),
        ).toString('base64url');
        const signature = createHmac('sha256', JSON.stringify(publicJwk)).update(`${header}.${payload}`).digest('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      'an unknown kid',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT({ sid: 's' })
          .setProtectedHeader({ alg: 'ES256', kid: 'stranger' })
          .setSubject('user-1')
          .setIssuer(settings.issuer)
          .setAudience(settings.audience)
          .setIssuedAt(now / 1000)
          .setExpirationTime(now / 1000 + 60)
          .setJti('j')
          .sign(privateKey);
      },
    ],
    [
      'our kid but a foreign key',
      async () => {
        const { privateKey } = await generateKeyPair('ES256', { extractable: true });
        await exportJWK(privateKey);
        return new SignJWT({ sid: 's' })
          .setProtectedHeader({ alg: 'ES256', kid: set.keys[1].kid })
          .setSubject('user-1')
          .setIssuer(settings.issuer)
          .setAudience(settings.audience)
          .setIssuedAt(now / 1000)
          .setExpirationTime(now / 1000 + 60)
          .setJti('j')
          .sign(privateKey);
      },
    ],
    ['a wrong issuer', async () => (await new AccessTokens(source, { ...settings, issuer: 'https://evil.example.com' }, clock).issue('user-1', 's')).token],
    ['a wrong audience', async () => (await new AccessTokens(source, { ...settings, audience: 'other-api' }, clock).issue('user-1', 's')).token],
    ['a truncated token', async () => (await tokens().issue('user-1', 's')).token.slice(0, -10)],
  ])('rejects %s', async (_name, forge) => {
    await expect(tokens().verify(await forge())).rejects.toThrow(/not valid|expired|subject/);
  });
});
