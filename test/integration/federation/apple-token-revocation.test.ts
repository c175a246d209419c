import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import type { AppleSimulator } from '../../../local/simulators/apple';
import { post, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';

const rawNonce = () => randomBytes(16).toString('base64url');
// Imported after the stack set its environment (the runtime reads the provider URLs when it loads), in the stack's process.
const runtime = () => import('../../../lambdas/runtime');

describe("Apple's tokens are revoked when an account with an Apple identity is deleted", () => {
  const started = stackWithSignInProviders({ providers: ['apple'], env: { LOGIN_IP_MAX_FAILURES: '1000' } });
  let stack: TestStack;
  let apple: AppleSimulator;
  beforeAll(() => ({ stack, apple } = started));

  /** An account made by a native Apple sign-in, with a refresh token kept as the web flow keeps it. */
  async function appleAccountWithRefreshToken() {
    const appleSub = `apple-${randomBytes(8).toString('hex')}`;
    const nonce = rawNonce();
    const idToken = await apple.mintAppleIdToken({ sub: appleSub, email: uniqueEmail('revoke'), emailVerified: true, rawNonce: nonce });
    const signedIn = await post(stack.url, '/login-flow/login/apple', { idToken, nonce });
    expect([signedIn.status, signedIn.body.code ?? signedIn.body.error, signedIn.body.message]).toEqual([200, undefined, undefined]);
    const identity = await (await runtime()).federatedIdentityStore().getIdentity('apple', appleSub);
    if (!identity) throw new Error('no identity');
    const refreshToken = `apple-refresh-${randomBytes(12).toString('hex')}`;
    await (await runtime()).providerTokenRevocation().saveProviderRefreshToken(identity, apple.clientId, refreshToken);
    return { appleSub, refreshToken, accessToken: signedIn.body.access_token as string };
  }

  it('keeps the refresh token sealed on the identity, never in clear', async () => {
    const { appleSub, refreshToken } = await appleAccountWithRefreshToken();
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    const { Item } = await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.federatedIdentity('apple', appleSub) }));
    expect(Item?.sealedRefreshToken).toEqual(expect.any(String));
    expect(JSON.stringify(Item)).not.toContain(refreshToken);
  });

  it('revokes it at Apple after delete-account, with a five-minute ES256 client secret of the team key', async () => {
    const { refreshToken, accessToken } = await appleAccountWithRefreshToken();

    const deleted = await post(stack.url, '/login-flow/delete-account', undefined, { Authorization: `Bearer ${accessToken}` });

    expect(deleted.status).toBe(200);
    const request = apple.revokeRequests().find((each) => each.token === refreshToken);
    expect(request).toMatchObject({ clientId: apple.clientId, tokenTypeHint: 'refresh_token' });
    const claims = decodeJwt(request?.clientSecret as string);
    expect(decodeProtectedHeader(request?.clientSecret as string)).toMatchObject({ alg: 'ES256', kid: apple.keyId });
    expect(claims).toMatchObject({ iss: apple.teamId, sub: apple.clientId, aud: 'https://appleid.apple.com' });
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(300);
  });

  it('deletes the account even when Apple fails the revocation, and the identity items are gone', async () => {
    const { appleSub, refreshToken, accessToken } = await appleAccountWithRefreshToken();
    apple.fail({ kind: 'server-error', path: '/auth/revoke' });

    const deleted = await post(stack.url, '/login-flow/delete-account', undefined, { Authorization: `Bearer ${accessToken}` });

    expect(deleted.status).toBe(200);
    expect(apple.revokedTokens()).not.toContain(refreshToken);
    expect(await (await runtime()).federatedIdentityStore().getIdentity('apple', appleSub)).toBeUndefined();
    const again = await post(stack.url, '/login-flow/me', undefined, { Authorization: `Bearer ${accessToken}` });
    expect(again.status).not.toBe(200);
  });
});
