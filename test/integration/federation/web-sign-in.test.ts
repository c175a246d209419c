import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { sha256 } from '../../../lambdas/core/random';
import type { AppleSimulator } from '../../../local/simulators/apple';
import type { GoogleSimulator } from '../../../local/simulators/google';
import { burst } from '../../support/bursts';
import { call, post, registration, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';
import { answerCallback, consentAs } from '../../support/web-sign-in';

/** One browser's cookie jar for the web sign-in paths: just the name=value pairs the start set. */
type Started = { authorize: URL; cookie: string };

describe('Web sign-in with Apple / Google (authorization code + PKCE, state, nonce)', () => {
  const started = stackWithSignInProviders({ env: { LOGIN_IP_MAX_FAILURES: '1000' } });
  let stack: TestStack;
  let apple: AppleSimulator;
  let google: GoogleSimulator;
  beforeAll(() => ({ stack, apple, google } = started));

  async function start(provider: 'apple' | 'google', returnTo = '/login?partner=astrato'): Promise<Started> {
    const response = await fetch(`${stack.url}/login-flow/web-sign-in/${provider}/start?return_to=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=None/);
    return { authorize: new URL(response.headers.get('location') as string), cookie: setCookie.split(';')[0] };
  }

  const consent = consentAs;

  async function callback(provider: 'apple' | 'google', answer: { code: string; state: string }, cookie: string) {
    const back = await answerCallback(stack.url, provider, answer, cookie);
    expect(back.status).toBe(303);
    return { page: back.page, handoff: back.fragment.federated ?? null, error: back.fragment.federated_error ?? null };
  }

  async function signInThroughProvider(provider: 'apple' | 'google', email: string, returnTo?: string) {
    const started = await start(provider, returnTo);
    return callback(provider, await consent(started.authorize, email), started.cookie);
  }

  it('asks Google for a code with PKCE S256, state and nonce, at the redirect URI derived from PUBLIC_BASE_URL', async () => {
    const { authorize } = await start('google');
    expect(authorize.origin).toBe(new URL(google.issuer).origin);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: google.clientId,
      response_type: 'code',
      scope: 'openid email',
      code_challenge_method: 'S256',
      redirect_uri: `${stack.url}/login-flow/web-sign-in/google/callback`,
    });
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{40,}$/);
    expect(authorize.searchParams.get('response_mode')).toBeNull();
  });

  it('asks Apple with form_post and the name scope', async () => {
    const { authorize } = await start('apple');
    expect(authorize.searchParams.get('response_mode')).toBe('form_post');
    expect(authorize.searchParams.get('scope')).toBe('openid email name');
  });

  it('signs a new Google account in and returns to the page that started, whose hand-off gives tokens once', async () => {
    const email = uniqueEmail('web-google');
    const back = await signInThroughProvider('google', email, '/login?partner=astrato');
    expect(back.page).toBe('/login?partner=astrato');
    expect(back.error).toBeNull();
    const first = await post(stack.url, '/login-flow/web-session', { handoff: back.handoff });
    expect(first.status).toBe(200);
    expect(decodeJwt(first.body.access_token).email ?? email).toBe(email);
    const again = await post(stack.url, '/login-flow/web-session', { handoff: back.handoff });
    expect(again.status).toBe(403);
    expect(again.body.error).toBe('state_invalid');
  });

  it('signs in with Apple through form_post (the client secret an ES256 JWT of the team key) and continues on /signup', async () => {
    const back = await signInThroughProvider('apple', uniqueEmail('web-apple'), '/signup');
    expect(back.error).toBeNull();
    expect(back.page).toBe('/signup');
    expect((await post(stack.url, '/login-flow/web-session', { handoff: back.handoff })).status).toBe(200);
  });

  it("keeps Apple's refresh token sealed through the hand-off and revokes exactly that token when the account is deleted", async () => {
    const issuedBefore = apple.issuedRefreshTokens().length;
    const back = await signInThroughProvider('apple', uniqueEmail('web-apple-revoke'), '/signup');
    expect(back.error).toBeNull();
    const [refreshToken] = apple.issuedRefreshTokens().slice(issuedBefore);
    expect(refreshToken).toEqual(expect.any(String));
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    const { Item: handoffItem } = await db.send(
      new GetCommand({ TableName: stack.tableName, Key: itemKeys.webSignIn('handoff', sha256(back.handoff as string)) }),
    );
    expect(handoffItem?.item?.refreshToken).toMatchObject({ sealedRefreshToken: expect.any(String), clientId: apple.clientId });
    expect(JSON.stringify(handoffItem)).not.toContain(refreshToken);

    const signedIn = await post(stack.url, '/login-flow/web-session', { handoff: back.handoff });
    expect(signedIn.status).toBe(200);
    const deleted = await post(stack.url, '/login-flow/delete-account', undefined, { Authorization: `Bearer ${signedIn.body.access_token}` });

    expect(deleted.status).toBe(200);
    const revoked = apple.revokeRequests().filter((each) => each.token === refreshToken);
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ clientId: apple.clientId, tokenTypeHint: 'refresh_token' });
    expect(decodeProtectedHeader(revoked[0].clientSecret)).toMatchObject({ alg: 'ES256', kid: apple.keyId });
    expect(decodeJwt(revoked[0].clientSecret)).toMatchObject({ iss: apple.teamId, sub: apple.clientId, aud: 'https://appleid.apple.com' });
  });

  it('takes a state once under a burst of 5 parallel callbacks', async () => {
    const started = await start('google');
    const answer = await consent(started.authorize, uniqueEmail('web-burst'));
    const results = await burst(5, () => callback('google', answer, started.cookie));
    expect(results.filter((result) => result.handoff).length).toBe(1);
    expect(results.filter((result) => result.error === 'state_invalid').length).toBe(4);
  });

  it('refuses an unknown state, and a callback from a browser without the start cookie', async () => {
    const started = await start('google');
    const answer = await consent(started.authorize, uniqueEmail('web-state'));
    expect((await callback('google', { ...answer, state: 'made-up-state-made-up-state-made-up' }, started.cookie)).error).toBe('state_invalid');
    expect((await callback('google', answer, `${started.cookie.split('=')[0]}=another-browser`)).error).toBe('state_invalid');
    // The failed binding spent the state: the right browser cannot use it afterwards either.
    expect((await callback('google', answer, started.cookie)).error).toBe('state_invalid');
  });

  it('refuses a code issued to another flow: its PKCE verifier does not match (checked by the provider)', async () => {
    const victim = await start('google');
    const attacker = await start('google');
    const stolen = await consent(victim.authorize, uniqueEmail('web-pkce'));
    const own = await consent(attacker.authorize, uniqueEmail('web-pkce-attacker'));
    const result = await callback('google', { code: stolen.code, state: own.state }, attacker.cookie);
    expect(result.error).toBe('provider_refused');
  });

  it('refuses an ID token whose nonce is not the one the flow started with', async () => {
    const started = await start('google');
    started.authorize.searchParams.set('nonce', 'a-nonce-the-server-never-made-for-this-flow');
    const result = await callback('google', await consent(started.authorize, uniqueEmail('web-nonce')), started.cookie);
    expect(result.error).toBe('invalid_id_token');
  });

  it('does not link to an existing account whose email is not verified: sign in with the password and link from /account', async () => {
    const email = uniqueEmail('web-exists');
    expect((await post(stack.url, '/login-flow/register', registration({ email }))).status).toBe(200);
    const back = await signInThroughProvider('google', email);
    const answer = await post(stack.url, '/login-flow/web-session', { handoff: back.handoff });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toBe('account_exists_sign_in_to_link');
  });

  it('refuses a return_to outside this service and continues on /login instead', async () => {
    const back = await signInThroughProvider('google', uniqueEmail('web-return'), 'https://evil.example/steal');
    expect(back.page).toBe('/login');
  });

  it('answers 400 for an unknown provider', async () => {
    const response = await call(stack.url, 'GET', '/login-flow/web-sign-in/facebook/start');
    expect(response.status).toBe(400);
  });
});
