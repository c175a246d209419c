import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { itemKeys } from '../lambdas/adapters/dynamo/table-design';
import { USER_ADMIN } from '../lambdas/core/admin/ports';
import { PORTAL_ADMIN } from '../lambdas/core/portal/ports';

/**
 * `npm start -- --seed`: a verified demo user and a verified demo operator
 * (portal admin and user admin) on the LOCAL stack, made through the real
 * registration endpoint, then verified and granted in the table as the docs'
 * first-admin command does. Their passwords are random, kept in
 * `<dataDir>/demo-accounts.json` (readable by its owner only) so a restart
 * prints the same ones. Never for a deployed stack: it needs the local
 * DynamoDB endpoint and writes grants directly.
 */
export interface DemoAccount {
  role: 'user' | 'operator';
  email: string;
  password: string;
}

const DEMO: readonly { role: DemoAccount['role']; email: string; firstName: string; lastName: string; permissions: string[] }[] = [
  { role: 'user', email: 'demo.user@loginbridge.test', firstName: 'Demo', lastName: 'User', permissions: [] },
  { role: 'operator', email: 'demo.operator@loginbridge.test', firstName: 'Demo', lastName: 'Operator', permissions: [PORTAL_ADMIN, USER_ADMIN] },
];

/** Three random words' worth of entropy, readable: never a common password, never in the repository. */
const newPassword = () => `demo-${randomBytes(12).toString('base64url')}`;

export async function seedDemoAccounts(stack: { url: string; dynamoDbEndpoint: string; tableName: string }, dataDir: string): Promise<DemoAccount[]> {
  const file = join(dataDir, 'demo-accounts.json');
  const known: DemoAccount[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  const client = new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const db = DynamoDBDocumentClient.from(client);
  try {
    const accounts: DemoAccount[] = [];
    for (const demo of DEMO) {
      const exists = (await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.credential(demo.email), ConsistentRead: true }))).Item;
      const remembered = known.find((account) => account.email === demo.email);
      if (exists && !remembered)
        throw new Error(`${demo.email} exists but its password is not in ${file}: delete the account (or the data directory) and seed again.`);
      const password = remembered?.password ?? newPassword();
      if (!exists) {
        const response = await fetch(`${stack.url}/login-flow/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: demo.email, password, firstName: demo.firstName, lastName: demo.lastName, approveTermsOfUse: 'on' }),
        });
        if (response.status !== 200) throw new Error(`registering ${demo.email} failed: ${response.status} ${await response.text()}`);
      }
      const userId = (await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.credential(demo.email), ConsistentRead: true }))).Item
        ?.userId as string;
      await db.send(
        new UpdateCommand({
          TableName: stack.tableName,
          Key: itemKeys.profile(userId),
          UpdateExpression: 'SET emailVerifiedAt = if_not_exists(emailVerifiedAt, :now)',
          ExpressionAttributeValues: { ':now': new Date().toISOString() },
        }),
      );
      if (demo.permissions.length) {
        await db.send(
          new UpdateCommand({
            TableName: stack.tableName,
            Key: itemKeys.portalMembership(userId),
            UpdateExpression: 'ADD #permissions :granted SET userId = :user, #type = :type',
            ExpressionAttributeNames: { '#permissions': 'permissions', '#type': 'type' },
            ExpressionAttributeValues: { ':granted': new Set(demo.permissions), ':user': userId, ':type': 'portal-membership' },
          }),
        );
      }
      accounts.push({ role: demo.role, email: demo.email, password });
    }
    writeFileSync(file, JSON.stringify(accounts, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
    return accounts;
  } finally {
    client.destroy();
  }
}
