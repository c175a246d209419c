import { createHash, randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import type { GoogleSimulator } from '../../../local/simulators/google';
import { burst } from '../../support/bursts';
import { call, post, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';
import { signInThroughProvider } from '../../support/web-sign-in';

/** The subject the Google simulator's consent page gives an address. */
const simulatorSub = (email: string) => `sim-${createHash('sha256').update(email).digest('base64url').slice(0, 16)}`;

// A file of its own: TERMS_REQUIRED is read once per handler instance, as in Lambda.
describe('Web sign-in that creates an account on a platform that requires terms (TERMS_REQUIRED=true)', () => {
  const started = stackWithSignInProviders({ providers: ['google'], env: { TERMS_REQUIRED: 'true', LOGIN_IP_MAX_FAILURES: '1000' } });
  let stack: TestStack;
  let google: GoogleSimulator;
  beforeAll(() => ({ stack, google } = started));

  const identityItem = async (email: string) => {
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    return (await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.federatedIdentity('google', simulatorSub(email)) }))).Item;
  };

  it('asks a new account for the terms without creating it, keeps the hand-off, and creates the account once they are accepted', async () => {
    const email = uniqueEmail('web-terms');
    const { handoff } = await signInThroughProvider(stack.url, 'google', email);

    const refused = await post(stack.url, '/login-flow/web-session', { handoff });
    expect(refused.status).toBe(403);
    expect(refused.body.fieldErrors).toEqual({ approveTermsOfUse: expect.any(String) });
    expect(await identityItem(email)).toBeUndefined();

    const created = await post(stack.url, '/login-flow/web-session', { handoff, approveTermsOfUse: true });
    expect(created.status).toBe(200);
    expect(await identityItem(email)).toBeDefined();
    const profile = await call(stack.url, 'GET', '/login-flow/me', { headers: { authorization: `Bearer ${created.body.access_token}` } });
    expect(profile.body.email).toBe(email);

    // Signed in: the hand-off is spent.
    const again = await post(stack.url, '/login-flow/web-session', { handoff, approveTermsOfUse: true });
    expect(again.status).toBe(403);
    expect(again.body.error).toBe('state_invalid');
  });

  it('never asks an existing account for the terms', async () => {
    const email = uniqueEmail('web-terms-known');
    const nonce = randomBytes(16).toString('base64url');
    const idToken = await google.mintGoogleIdToken({ sub: simulatorSub(email), email, emailVerified: true, nonce });
    const made = await post(stack.url, '/login-flow/login/google', { idToken, nonce, approveTermsOfUse: true });
    expect(made.status).toBe(200);

    const { handoff } = await signInThroughProvider(stack.url, 'google', email);
    const signedIn = await post(stack.url, '/login-flow/web-session', { handoff });
    expect(signedIn.status).toBe(200);
    expect(decodeJwt(signedIn.body.access_token).sub).toBe(decodeJwt(made.body.access_token).sub);
  });

  it('creates one account and one session from a burst of 5 acceptances on one hand-off', async () => {
    const email = uniqueEmail('web-terms-burst');
    const { handoff } = await signInThroughProvider(stack.url, 'google', email);
    expect((await post(stack.url, '/login-flow/web-session', { handoff })).status).toBe(403);

    const answers = await burst(5, () => post(stack.url, '/login-flow/web-session', { handoff, approveTermsOfUse: true }));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.body?.error === 'state_invalid')).toHaveLength(4);
  });

  it('ends the hand-off after 5 answers without the terms', async () => {
    const { handoff } = await signInThroughProvider(stack.url, 'google', uniqueEmail('web-terms-attempts'));
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const refused = await post(stack.url, '/login-flow/web-session', { handoff });
      expect(refused.body.fieldErrors).toEqual({ approveTermsOfUse: expect.any(String) });
    }
    const spent = await post(stack.url, '/login-flow/web-session', { handoff, approveTermsOfUse: true });
    expect(spent.body.error).toBe('state_invalid');
  });
});
