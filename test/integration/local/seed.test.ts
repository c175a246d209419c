import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { seedDemoAccounts } from '../../../local/seed';
import { post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('npm start -- --seed (demo accounts on the local stack)', () => {
  let stack: TestStack;
  let dataDir: string;
  beforeAll(async () => {
    stack = await startTestStack();
    dataDir = mkdtempSync(join(tmpdir(), 'lb-seed-'));
  });
  afterAll(() => stack.stop());

  it('makes a verified demo user and a verified operator who sign in with the printed passwords', async () => {
    const accounts = await seedDemoAccounts(stack, dataDir);

    expect(accounts.map((account) => account.role)).toEqual(['user', 'operator']);
    for (const account of accounts) {
      const signIn = await post(stack.url, '/login-flow/login', { email: account.email, password: account.password });
      expect({ email: account.email, status: signIn.status }).toEqual({ email: account.email, status: 200 });
    }
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    const operator = accounts[1];
    const userId = (await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.credential(operator.email) }))).Item?.userId;
    const membership = (await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.portalMembership(userId) }))).Item;
    expect([...(membership?.permissions ?? [])].sort()).toEqual(['portal-admin', 'user-admin']);
    const profile = (await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.profile(userId) }))).Item;
    expect(profile?.emailVerifiedAt).toEqual(expect.any(String));
  });

  it('prints the same passwords on the next start and keeps them readable by their owner only', async () => {
    const first = await seedDemoAccounts(stack, dataDir);
    const again = await seedDemoAccounts(stack, dataDir);

    expect(again).toEqual(first);
    expect(statSync(join(dataDir, 'demo-accounts.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses, with the way out, when a demo account exists but its password was not kept', async () => {
    await expect(seedDemoAccounts(stack, mkdtempSync(join(tmpdir(), 'lb-seed-other-')))).rejects.toThrow(/delete the account \(or the data directory\)/);
  });
});
