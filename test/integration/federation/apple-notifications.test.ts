import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import type { AppleSimulator } from '../../../local/simulators/apple';
import { post, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';

const rawNonce = () => randomBytes(16).toString('base64url');
const sub = () => `apple-${randomBytes(8).toString('hex')}`;

describe("POST /login-flow/apple/notifications (Apple's server-to-server notifications)", () => {
  const started = stackWithSignInProviders({
    providers: [],
    env: ({ apple }) => ({
      LOG_LEVEL: 'ERROR',
      LOGIN_IP_MAX_FAILURES: '1000',
      APPLE_ISSUER: apple.issuer,
      APPLE_JWKS_URL: apple.jwksUrl,
      APPLE_CLIENT_IDS: `${apple.clientId},com.example.ios`,
    }),
  });
  let stack: TestStack;
  let apple: AppleSimulator;
  let notificationsUrl: string;
  beforeAll(() => {
    ({ stack, apple } = started);
    notificationsUrl = `${stack.url}/login-flow/apple/notifications`;
  });

  const db = () => createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
  const identityItem = async (appleSub: string) =>
    (await db().send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.federatedIdentity('apple', appleSub), ConsistentRead: true }))).Item;

  async function appleSignIn(appleSub: string, email: string) {
    const nonce = rawNonce();
    const idToken = await apple.mintAppleIdToken({ sub: appleSub, email, emailVerified: 'true', isPrivateEmail: 'true', rawNonce: nonce });
    const response = await post(stack.url, '/login-flow/login/apple', { idToken, nonce });
    expect(response.status).toBe(200);
    return response.body as { access_token: string; refresh_token: string };
  }
  const relayAddress = () => uniqueEmail('relay').replace(/@.*/, '@privaterelay.appleid.com');

  it('consent-revoked unlinks the Apple identity and ends the sessions of the account', async () => {
    const appleSub = sub();
    const tokens = await appleSignIn(appleSub, relayAddress());

    const sent = await apple.sendNotification(notificationsUrl, { type: 'consent-revoked', sub: appleSub });

    expect(sent.status).toBe(200);
    expect(await identityItem(appleSub)).toBeUndefined();
    const refreshed = await post(stack.url, '/login-flow/refresh', { refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(403);
  });

  it('account-delete unlinks the identity; a replay of the same event after the person links Apple again changes nothing', async () => {
    const appleSub = sub();
    const email = relayAddress();
    await appleSignIn(appleSub, email);
    const eventTime = Date.now();
    const first = await apple.sendNotification(notificationsUrl, { type: 'account-delete', sub: appleSub, eventTime });
    expect(first.status).toBe(200);
    expect(await identityItem(appleSub)).toBeUndefined();

    // Signing in again links the identity to the same account (both addresses verified).
    const again = await appleSignIn(appleSub, email);
    const replayed = await post(stack.url, '/login-flow/apple/notifications', { payload: first.jws });
    expect(replayed.status).toBe(200);
    // A new delivery (another event id) of an event older than the link changes nothing either.
    const late = await apple.sendNotification(notificationsUrl, { type: 'account-delete', sub: appleSub, eventTime: eventTime - 1000 });
    expect(late.status).toBe(200);
    expect(await identityItem(appleSub)).toBeDefined();
    expect((await post(stack.url, '/login-flow/refresh', { refresh_token: again.refresh_token })).status).toBe(200);
  });

  it('email-disabled and email-enabled record the relay state on the identity and its copy; an older event never flips it back', async () => {
    const appleSub = sub();
    await appleSignIn(appleSub, relayAddress());
    const now = Date.now();
    expect((await apple.sendNotification(notificationsUrl, { type: 'email-disabled', sub: appleSub, eventTime: now })).status).toBe(200);
    const disabled = await identityItem(appleSub);
    expect(disabled?.relayEmailState).toBe('disabled');
    const copy = await db().send(
      new GetCommand({
        TableName: stack.tableName,
        Key: itemKeys.federatedIdentityOfUser(disabled?.userId as string, 'apple', appleSub),
        ConsistentRead: true,
      }),
    );
    expect(copy.Item?.relayEmailState).toBe('disabled');

    expect((await apple.sendNotification(notificationsUrl, { type: 'email-enabled', sub: appleSub, eventTime: now + 2000 })).status).toBe(200);
    expect((await identityItem(appleSub))?.relayEmailState).toBe('enabled');
    expect((await apple.sendNotification(notificationsUrl, { type: 'email-disabled', sub: appleSub, eventTime: now + 1000 })).status).toBe(200);
    expect((await identityItem(appleSub))?.relayEmailState).toBe('enabled');
  });

  it('refuses a bad signature, a wrong audience, another issuer and a missing payload with 400, acting on nothing', async () => {
    const appleSub = sub();
    await appleSignIn(appleSub, relayAddress());
    const event = { type: 'consent-revoked' as const, sub: appleSub };

    for (const options of [{ forgeSignature: true }, { audience: 'com.example.other' }, { issuer: 'https://appleid.example.org' }]) {
      const sent = await apple.sendNotification(notificationsUrl, event, options);
      expect(sent.status).toBe(400);
    }
    const garbage = await post(stack.url, '/login-flow/apple/notifications', { payload: 'not.a.jws' });
    expect(garbage.status).toBe(400);
    const missing = await post(stack.url, '/login-flow/apple/notifications', {});
    expect(missing.status).toBe(400);
    expect(await identityItem(appleSub)).toBeDefined();
  });

  it('answers 200 for an identity it does not know', async () => {
    const sent = await apple.sendNotification(notificationsUrl, { type: 'account-delete', sub: sub() });
    expect(sent.status).toBe(200);
  });
});
