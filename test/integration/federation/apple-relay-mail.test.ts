import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { addressHash } from '../../../lambdas/core/email';
import type { AppleSimulator } from '../../../local/simulators/apple';
import { call, post, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';

const sub = () => `apple-${randomBytes(8).toString('hex')}`;

/** After Apple's `email-disabled` no email of ours goes to the relay address; `email-enabled` lets it through again. */
describe("Mail to an Apple private relay address follows Apple's email-disabled / email-enabled notifications", () => {
  const started = stackWithSignInProviders({
    providers: [],
    env: ({ apple }) => ({
      LOG_LEVEL: 'ERROR',
      LOGIN_IP_MAX_FAILURES: '1000',
      APPLE_ISSUER: apple.issuer,
      APPLE_JWKS_URL: apple.jwksUrl,
      APPLE_CLIENT_IDS: apple.clientId,
    }),
  });
  let stack: TestStack;
  let apple: AppleSimulator;
  let notificationsUrl: string;
  beforeAll(() => {
    ({ stack, apple } = started);
    notificationsUrl = `${stack.url}/login-flow/apple/notifications`;
  });

  /** Signs in with Apple (a new account) and answers its access token. */
  async function appleAccount(appleSub: string, email: string): Promise<string> {
    const rawNonce = randomBytes(16).toString('base64url');
    const idToken = await apple.mintAppleIdToken({ sub: appleSub, email, emailVerified: 'true', isPrivateEmail: 'true', rawNonce });
    const signedIn = await post(stack.url, '/login-flow/login/apple', { idToken, nonce: rawNonce });
    expect(signedIn.status).toBe(200);
    return (signedIn.body as { access_token: string }).access_token;
  }
  /** The relay state kept under the address (the one item the mail reads), straight from DynamoDB Local. */
  async function relayStateItem(address: string) {
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    const read = await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.relayMailState(addressHash(address)), ConsistentRead: true }));
    return read.Item;
  }
  /** Asks for a password-reset email (always 200) and answers how many emails that address has received so far. */
  async function resetMailsTo(email: string): Promise<number> {
    expect((await call(stack.url, 'POST', '/login-flow/reset-password', { json: { email } })).status).toBe(200);
    return stack.outbox().filter((mail) => mail.to === email).length;
  }

  it('sends nothing to a disabled relay address, and sends again once Apple says it is enabled', async () => {
    const appleSub = sub();
    const relay = uniqueEmail('relay-mail').replace(/@.*/, '@privaterelay.appleid.com');
    await appleAccount(appleSub, relay);
    expect(await resetMailsTo(relay)).toBe(1);

    const now = Date.now();
    expect((await apple.sendNotification(notificationsUrl, { type: 'email-disabled', sub: appleSub, eventTime: now })).status).toBe(200);
    expect(await resetMailsTo(relay)).toBe(1);

    expect((await apple.sendNotification(notificationsUrl, { type: 'email-enabled', sub: appleSub, eventTime: now + 1000 })).status).toBe(200);
    expect(await resetMailsTo(relay)).toBe(2);
  });

  it("keeps mailing another account's relay address while one relay is disabled", async () => {
    const [first, second] = [sub(), sub()];
    const [firstRelay, secondRelay] = ['relay-a', 'relay-b'].map((label) => uniqueEmail(label).replace(/@.*/, '@privaterelay.appleid.com'));
    await appleAccount(first, firstRelay);
    await appleAccount(second, secondRelay);
    expect((await apple.sendNotification(notificationsUrl, { type: 'email-disabled', sub: first, eventTime: Date.now() })).status).toBe(200);
    expect(await resetMailsTo(firstRelay)).toBe(0);
    expect(await resetMailsTo(secondRelay)).toBe(1);
  });

  it('keeps mailing after a late email-disabled older than the email-enabled already recorded', async () => {
    const appleSub = sub();
    const relay = uniqueEmail('relay-late').replace(/@.*/, '@privaterelay.appleid.com');
    await appleAccount(appleSub, relay);
    const now = Date.now();
    expect((await apple.sendNotification(notificationsUrl, { type: 'email-disabled', sub: appleSub, eventTime: now })).status).toBe(200);
    expect((await apple.sendNotification(notificationsUrl, { type: 'email-enabled', sub: appleSub, eventTime: now + 2000 })).status).toBe(200);

    expect((await apple.sendNotification(notificationsUrl, { type: 'email-disabled', sub: appleSub, eventTime: now + 1000 })).status).toBe(200);

    expect((await relayStateItem(relay))?.state).toBe('enabled');
    expect(await resetMailsTo(relay)).toBe(1);
  });

  it("deletes the relay address's state with the account", async () => {
    const appleSub = sub();
    const relay = uniqueEmail('relay-delete').replace(/@.*/, '@privaterelay.appleid.com');
    const accessToken = await appleAccount(appleSub, relay);
    expect((await apple.sendNotification(notificationsUrl, { type: 'email-disabled', sub: appleSub, eventTime: Date.now() })).status).toBe(200);
    expect((await relayStateItem(relay))?.state).toBe('disabled');

    const ctx = Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': accessToken })).toString('base64url');
    expect((await call(stack.url, 'POST', `/login-flow/delete-account?ctx=${ctx}`)).status).toBe(200);

    expect(await relayStateItem(relay)).toBeUndefined();
  });
});
