import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { type GoogleSimulator, startGoogleSimulator } from '../../../local/simulators/google';
import { uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const rawNonce = () => randomBytes(16).toString('base64url');
const sub = () => `sub-${randomBytes(8).toString('hex')}`;

describe('POST /oauth/token with grant_type token-exchange (RFC 8693, an ID token as subject token)', () => {
  let stack: TestStack;
  let google: GoogleSimulator;
  beforeAll(async () => {
    google = await startGoogleSimulator();
    stack = await startTestStack({
      env: { GOOGLE_ISSUER: google.issuer, GOOGLE_JWKS_URL: google.jwksUrl, GOOGLE_CLIENT_IDS: google.clientId, DEVICE_CLIENT_IDS: 'tv-app' },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await google.stop();
  });

  const exchange = (fields: Record<string, string>) =>
    fetch(`${stack.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        subject_issuer: 'google',
        ...fields,
      }),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }));

  it('answers tokens bound to the client, once per ID token', async () => {
    const nonce = rawNonce();
    const subject_token = await google.mintGoogleIdToken({ sub: sub(), email: uniqueEmail('exchange'), emailVerified: true, nonce });
    const first = await exchange({ subject_token, nonce, client_id: 'tv-app' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
    expect(decodeJwt(first.body.access_token)).toMatchObject({ client_id: 'tv-app' });
    const again = await exchange({ subject_token, nonce, client_id: 'tv-app' });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('refuses a wrong token type, an unknown provider, a missing nonce and an unregistered client as invalid_request / invalid_client', async () => {
    const nonce = rawNonce();
    const subject_token = await google.mintGoogleIdToken({ sub: sub(), email: uniqueEmail('x'), emailVerified: true, nonce });
    expect((await exchange({ subject_token, nonce, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' })).body.error).toBe('invalid_request');
    expect((await exchange({ subject_token, nonce, subject_issuer: 'facebook' })).body.error).toBe('invalid_request');
    expect((await exchange({ subject_token })).body.error).toBe('invalid_request');
    expect((await exchange({ subject_token, nonce, client_id: 'unknown-app' })).status).toBe(401);
  });
});
