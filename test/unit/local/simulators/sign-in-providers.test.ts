import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, importPKCS8, jwtVerify, SignJWT } from 'jose';
import { APPLE_CLIENT_SECRET_AUDIENCE, type AppleSimulator, appleNonceClaim, startAppleSimulator } from '../../../../local/simulators/apple';
import { type GoogleSimulator, startGoogleSimulator } from '../../../../local/simulators/google';

const REDIRECT = 'https://app.example.test/callback';
const verifier = 'v'.repeat(43);
const challenge = createHash('sha256').update(verifier).digest('base64url');

let apple: AppleSimulator;
let google: GoogleSimulator;
beforeAll(async () => {
  apple = await startAppleSimulator({ redirectUris: [REDIRECT] });
  google = await startGoogleSimulator({ redirectUris: [REDIRECT] });
});
afterAll(async () => {
  await apple.stop();
  await google.stop();
});

async function appleClientSecret(overrides: { iss?: string; aud?: string; kid?: string } = {}): Promise<string> {
  const key = await importPKCS8(apple.privateKeyPem, 'ES256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: overrides.kid ?? apple.keyId })
    .setIssuer(overrides.iss ?? apple.teamId)
    .setSubject(apple.clientId)
    .setAudience(overrides.aud ?? APPLE_CLIENT_SECRET_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

/** Consents on the page and returns the code from the redirect (Google) or the form post (Apple). */
async function consent(simulator: AppleSimulator | GoogleSimulator, path: string, extra: Record<string, string> = {}): Promise<string> {
  const params = new URLSearchParams({
    client_id: simulator.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid email',
    state: 's1',
    nonce: 'n1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    login_email: 'person@example.com',
    ...extra,
  });
  const answer = await fetch(`${simulator.url}${path}`, { method: 'POST', body: params, redirect: 'manual' });
  if (answer.status === 302) return new URL(answer.headers.get('location') as string).searchParams.get('code') as string;
  return /name="code" value="([^"]+)"/.exec(await answer.text())?.[1] as string;
}

const exchange = (simulator: AppleSimulator | GoogleSimulator, path: string, fields: Record<string, string>) =>
  fetch(`${simulator.url}${path}`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: simulator.clientId, redirect_uri: REDIRECT, code_verifier: verifier, ...fields }),
  });

describe('the Apple and Google simulators', () => {
  it('publish OpenID discovery with their own URL as issuer', async () => {
    const document = (await (await fetch(`${google.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(document.issuer).toBe(google.issuer);
    expect(document.jwks_uri).toBe(`${google.url}/oauth2/v3/certs`);
    const appleDocument = (await (await fetch(`${apple.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(appleDocument.revocation_endpoint).toBe(`${apple.url}/auth/revoke`);
  });

  it('rotate keys: the new key signs, the old stays published until retired', async () => {
    const before = apple.publishedKids();
    const kid = await apple.rotateKeys();
    expect(apple.publishedKids()).toEqual([...before, kid]);
    const token = await apple.mintAppleIdToken({ sub: 's', rawNonce: 'raw' });
    const { protectedHeader, payload } = await jwtVerify(token, createRemoteJWKSet(new URL(apple.jwksUrl)), { issuer: apple.issuer });
    expect(protectedHeader.kid).toBe(kid);
    expect(payload.nonce).toBe(appleNonceClaim('raw'));
    apple.retireOldKeys();
    expect(apple.publishedKids()).toEqual([kid]);
  });

  it('mint Apple string booleans and Google hd', async () => {
    const claims = decodeJwt(await apple.mintAppleIdToken({ sub: 'a', email: 'x@privaterelay.appleid.com', emailVerified: 'true', isPrivateEmail: 'true' }));
    expect(claims).toMatchObject({ email_verified: 'true', is_private_email: 'true' });
    expect(decodeJwt(await google.mintGoogleIdToken({ sub: 'g', hd: 'example.com', emailVerified: false }))).toMatchObject({
      hd: 'example.com',
      email_verified: false,
    });
  });

  it('Google: a code works once, with the right secret, redirect URI and verifier', async () => {
    const code = await consent(google, '/o/oauth2/v2/auth');
    expect((await exchange(google, '/token', { code, client_secret: 'wrong' })).status).toBe(401);
    const good = await exchange(google, '/token', { code, client_secret: google.clientSecret });
    expect(good.status).toBe(200);
    const body = (await good.json()) as { id_token: string };
    expect(decodeJwt(body.id_token)).toMatchObject({ email: 'person@example.com', nonce: 'n1', email_verified: true, aud: google.clientId });
    expect((await exchange(google, '/token', { code, client_secret: google.clientSecret })).status).toBe(400);

    const other = await consent(google, '/o/oauth2/v2/auth');
    expect((await exchange(google, '/token', { code: other, client_secret: google.clientSecret, code_verifier: 'w'.repeat(43) })).status).toBe(400);
    const third = await consent(google, '/o/oauth2/v2/auth');
    expect((await exchange(google, '/token', { code: third, client_secret: google.clientSecret, redirect_uri: 'https://evil.test/cb' })).status).toBe(400);
  });

  it('refuse an unregistered redirect URI on the consent page', async () => {
    const answer = await fetch(`${google.url}/o/oauth2/v2/auth?client_id=${google.clientId}&redirect_uri=https://evil.test/cb&response_type=code`);
    expect(answer.status).toBe(400);
  });

  it('Apple: the client secret must be an ES256 JWT of the team key with the documented claims; revoke takes the same', async () => {
    const code = await consent(apple, '/auth/authorize');
    expect((await exchange(apple, '/auth/token', { code, client_secret: await appleClientSecret({ iss: 'OTHERTEAM' }) })).status).toBe(401);
    expect((await exchange(apple, '/auth/token', { code, client_secret: await appleClientSecret({ aud: apple.url }) })).status).toBe(401);
    expect((await exchange(apple, '/auth/token', { code, client_secret: await appleClientSecret({ kid: 'OTHER' }) })).status).toBe(401);
    const good = await exchange(apple, '/auth/token', { code, client_secret: await appleClientSecret() });
    expect(good.status).toBe(200);
    const { refresh_token } = (await good.json()) as { refresh_token: string };
    expect(apple.issuedRefreshTokens()).toContain(refresh_token);
    const revoke = await fetch(`${apple.url}/auth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: apple.clientId,
        client_secret: await appleClientSecret(),
        token: refresh_token,
        token_type_hint: 'refresh_token',
      }),
    });
    expect(revoke.status).toBe(200);
    expect(apple.revokedTokens()).toContain(refresh_token);
  });
});
