import { randomBytes } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import type { AppleSimulator } from '../../../local/simulators/apple';
import type { GoogleSimulator } from '../../../local/simulators/google';
import { burst } from '../../support/bursts';
import { post, registration, STRONG_PASSWORD, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';
import { verifyEmail } from '../../support/verification';

const rawNonce = () => randomBytes(16).toString('base64url');
const sub = () => `sub-${randomBytes(8).toString('hex')}`;

describe('POST /login-flow/login/{provider} (native Sign in with Apple / Google)', () => {
  const started = stackWithSignInProviders({
    providers: ['google'],
    env: ({ apple }) => ({
      LOGIN_IP_MAX_FAILURES: '1000',
      APPLE_ISSUER: apple.issuer,
      APPLE_JWKS_URL: apple.jwksUrl,
      APPLE_CLIENT_IDS: `${apple.clientId},com.example.ios`,
    }),
  });
  let stack: TestStack;
  let apple: AppleSimulator;
  let google: GoogleSimulator;
  beforeAll(() => ({ stack, apple, google } = started));

  async function googleSignIn(identity: { sub: string; email?: string; emailVerified?: boolean }, extra: Record<string, unknown> = {}) {
    const nonce = rawNonce();
    const idToken = await google.mintGoogleIdToken({ ...identity, nonce });
    return post(stack.url, '/login-flow/login/google', { idToken, nonce, ...extra });
  }

  async function registered(email: string, verified: boolean) {
    const response = await post(stack.url, '/login-flow/register', registration({ email }));
    expect(response.status).toBe(200);
    if (verified) await verifyEmail(stack, email);
    return decodeJwt(response.body.access_token).sub as string;
  }

  it('creates an account on the first Apple sign-in, with the name from the request, and signs the same account in again', async () => {
    const identity = {
      sub: sub(),
      email: uniqueEmail('relay').replace(/@.*/, '@privaterelay.appleid.com'),
      emailVerified: 'true' as const,
      isPrivateEmail: 'true' as const,
    };
    const first = rawNonce();
    const created = await post(stack.url, '/login-flow/login/apple', {
      idToken: await apple.mintAppleIdToken({ ...identity, rawNonce: first }),
      nonce: first,
      firstName: 'Ada',
      lastName: 'Lovelace',
      deviceId: 'ignored',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 200, token_type: 'Bearer', expires_in: 900 });
    const claims = decodeJwt(created.body.access_token);
    expect(claims.email_verified).toBe(true);

    const again = rawNonce();
    const second = await post(stack.url, '/login-flow/login/apple', {
      idToken: await apple.mintAppleIdToken({ ...identity, rawNonce: again }),
      nonce: again,
      firstName: 'Mallory',
    });
    expect(second.status).toBe(200);
    expect(decodeJwt(second.body.access_token).sub).toBe(claims.sub);
    const me = await fetch(`${stack.url}/login-flow/me`, { headers: { Authorization: `Bearer ${second.body.access_token}` } });
    expect(await me.json()).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
  });

  it('refuses a token used twice with the same answer as an invalid token', async () => {
    const nonce = rawNonce();
    const idToken = await google.mintGoogleIdToken({ sub: sub(), email: uniqueEmail('replay'), emailVerified: true, nonce });
    expect((await post(stack.url, '/login-flow/login/google', { idToken, nonce })).status).toBe(200);
    const replay = await post(stack.url, '/login-flow/login/google', { idToken, nonce });
    const wrongNonce = await post(stack.url, '/login-flow/login/google', { idToken: await google.mintGoogleIdToken({ sub: sub(), nonce }), nonce: rawNonce() });
    expect(replay.status).toBe(403);
    const { correlationId: _a, ...replayBody } = replay.body;
    const { correlationId: _b, ...invalidBody } = wrongNonce.body;
    expect(replayBody).toEqual(invalidBody);
    expect(replayBody).toMatchObject({ error: 'invalid_id_token' });
  });

  it('refuses a token for another audience or issuer, and an unknown provider', async () => {
    const nonce = rawNonce();
    const otherAud = await google.mintIdToken({ sub: sub(), nonce }, { audience: 'someone-else' });
    expect((await post(stack.url, '/login-flow/login/google', { idToken: otherAud, nonce })).body.error).toBe('invalid_id_token');
    const appleTokenAtGoogle = await apple.mintAppleIdToken({ sub: sub(), rawNonce: nonce });
    expect((await post(stack.url, '/login-flow/login/google', { idToken: appleTokenAtGoogle, nonce })).body.error).toBe('invalid_id_token');
    expect((await post(stack.url, '/login-flow/login/facebook', { idToken: otherAud, nonce })).status).toBe(403);
    expect((await post(stack.url, '/login-flow/login/google', { nonce })).body.error).toBe('invalid_request');
  });

  it('links automatically when the provider and the existing account have both verified the address', async () => {
    const email = uniqueEmail('both');
    const userId = await registered(email, true);
    const response = await googleSignIn({ sub: sub(), email, emailVerified: true });
    expect(response.status).toBe(200);
    expect(decodeJwt(response.body.access_token).sub).toBe(userId);
  });

  it('does not link a second Google account automatically to an account that has one: 409 account_exists_sign_in_to_link', async () => {
    // Prepare: the account's address is verified and a first Google account linked automatically
    const email = uniqueEmail('second-google');
    const userId = await registered(email, true);
    const firstSub = sub();
    expect((await googleSignIn({ sub: firstSub, email, emailVerified: true })).status).toBe(200);

    // Act: another Google account claiming the same verified address, then the first one again
    const second = await googleSignIn({ sub: sub(), email, emailVerified: true });
    const firstAgain = await googleSignIn({ sub: firstSub, email, emailVerified: true });

    // Assess
    expect(second.status).toBe(409);
    expect(second.body.error).toBe('account_exists_sign_in_to_link');
    expect(decodeJwt(String(firstAgain.body.access_token)).sub).toBe(userId);
  });

  it('takeover attempt: an attacker pre-registers the victim address unverified; the victim signing in with Google does not enter that account', async () => {
    const email = uniqueEmail('victim');
    const attackerAccount = await registered(email, false);
    const response = await googleSignIn({ sub: sub(), email, emailVerified: true });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ error: 'account_exists_sign_in_to_link' });
    expect(response.body.access_token).toBeUndefined();
    expect(attackerAccount).toBeDefined();
  });

  it('takeover attempt: a provider account with an unverified address does not enter (or create) the account of that address', async () => {
    const email = uniqueEmail('owner');
    await registered(email, true);
    const onto = await googleSignIn({ sub: sub(), email, emailVerified: false });
    expect(onto.status).toBe(403);
    expect(onto.body.error).toBe('provider_email_not_verified');
    const fresh = await googleSignIn({ sub: sub(), email: uniqueEmail('unproven'), emailVerified: false });
    expect(fresh.body.error).toBe('provider_email_not_verified');
  });

  it('refuses a disabled account, and asks for the second factor like the password login', async () => {
    const identity = { sub: sub(), email: uniqueEmail('disabled'), emailVerified: true };
    const created = await googleSignIn(identity);
    const userId = decodeJwt(created.body.access_token).sub as string;
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    const at = new Date().toISOString();
    for (const Key of [itemKeys.profile(userId), itemKeys.credential(identity.email)])
      await db.send(new UpdateCommand({ TableName: stack.tableName, Key, UpdateExpression: 'SET disabledAt = :at', ExpressionAttributeValues: { ':at': at } }));
    const refused = await googleSignIn(identity);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('forbidden');

    const guarded = { sub: sub(), email: uniqueEmail('factor'), emailVerified: true };
    const guardedUser = decodeJwt((await googleSignIn(guarded)).body.access_token).sub as string;
    await db.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: itemKeys.credential(guarded.email),
        UpdateExpression: 'SET factorCount = :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    const needsFactor = await googleSignIn(guarded);
    expect(needsFactor.status).toBe(403);
    expect(needsFactor.body.error).toBe('mfa_required');
    expect(guardedUser).toBeDefined();
  });

  it('a burst of 10 parallel first sign-ins of one identity makes one account', async () => {
    const identity = { sub: sub(), email: uniqueEmail('burst'), emailVerified: true };
    const responses = await burst(10, () => googleSignIn(identity));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((response) => decodeJwt(response.body.access_token).sub)).size).toBe(1);
  });

  it('an account made this way has no usable password: the password login refuses any guess', async () => {
    const identity = { sub: sub(), email: uniqueEmail('nopassword'), emailVerified: true };
    expect((await googleSignIn(identity)).status).toBe(200);
    expect((await post(stack.url, '/login-flow/login', { email: identity.email, password: STRONG_PASSWORD })).status).toBe(403);
  });

  it('after the account is deleted, the same identity signs up afresh (the stale identity item is taken over only while it names the deleted account)', async () => {
    const identity = { sub: sub(), email: uniqueEmail('deleted'), emailVerified: true };
    const first = await googleSignIn(identity);
    const deleted = await post(stack.url, '/login-flow/delete-account', undefined, { Authorization: `Bearer ${first.body.access_token}` });
    expect(deleted.status).toBe(200);
    const again = await googleSignIn(identity);
    expect(again.status).toBe(200);
    expect(decodeJwt(again.body.access_token).sub).not.toBe(decodeJwt(first.body.access_token).sub);
  });
});
