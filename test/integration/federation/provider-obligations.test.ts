import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import type { GoogleSimulator } from '../../../local/simulators/google';
import { post, uniqueEmail } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { stackWithSignInProviders } from '../../support/sign-in-providers';

const rawNonce = () => randomBytes(16).toString('base64url');
const sub = () => `sub-${randomBytes(8).toString('hex')}`;

// A file of its own: TERMS_REQUIRED is read once per handler instance, as in Lambda.
describe('federated sign-in on a platform that requires terms (TERMS_REQUIRED=true), and what account deletion leaves', () => {
  const started = stackWithSignInProviders({ providers: ['google'], env: { TERMS_REQUIRED: 'true', LOGIN_IP_MAX_FAILURES: '1000' } });
  let stack: TestStack;
  let google: GoogleSimulator;
  beforeAll(() => ({ stack, google } = started));

  async function googleSignIn(identity: { sub: string; email?: string; emailVerified?: boolean }, extra: Record<string, unknown> = {}) {
    const nonce = rawNonce();
    const idToken = await google.mintGoogleIdToken({ ...identity, nonce });
    return post(stack.url, '/login-flow/login/google', { idToken, nonce, ...extra });
  }

  it('refuses a first sign-in without the terms accepted with register answer (403, the field marked), and creates nothing', async () => {
    const identity = { sub: sub(), email: uniqueEmail('terms'), emailVerified: true };
    const refused = await googleSignIn(identity, { approveTermsOfUse: null });
    expect(refused.status).toBe(403);
    expect(refused.body.fieldErrors).toEqual({ approveTermsOfUse: expect.any(String) });

    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    const { Item } = await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.federatedIdentity('google', identity.sub) }));
    expect(Item).toBeUndefined();
  });

  it('creates the account when the terms are accepted, and signs an existing account in without asking again', async () => {
    const identity = { sub: sub(), email: uniqueEmail('terms-ok'), emailVerified: true };
    const created = await googleSignIn(identity, { approveTermsOfUse: 'on' });
    expect(created.status).toBe(200);
    const again = await googleSignIn(identity);
    expect(again.status).toBe(200);
    expect(decodeJwt(again.body.access_token).sub).toBe(decodeJwt(created.body.access_token).sub);
  });

  it('removes the identity item (FEDID#) in the deletion of its account', async () => {
    const identity = { sub: sub(), email: uniqueEmail('gone'), emailVerified: true };
    const created = await googleSignIn(identity, { approveTermsOfUse: true });
    expect(created.status).toBe(200);
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    const key = itemKeys.federatedIdentity('google', identity.sub);
    expect((await db.send(new GetCommand({ TableName: stack.tableName, Key: key }))).Item).toBeDefined();

    const deleted = await post(stack.url, '/login-flow/delete-account', undefined, { Authorization: `Bearer ${created.body.access_token}` });
    expect(deleted.status).toBe(200);
    expect((await db.send(new GetCommand({ TableName: stack.tableName, Key: key }))).Item).toBeUndefined();
  });
});
