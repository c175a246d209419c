import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { type DynamoMeter, startDynamoMeter } from '../../../bench/dynamo-meter';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { post, registration, STRONG_PASSWORD } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { verifyEmail } from '../../support/verification';

/**
 * The DynamoDB requests one sign-in makes, counted by a proxy in front of
 * DynamoDB Local: the target of the lean data path is three.
 */
describe('POST /login-flow/login, counted at DynamoDB', () => {
  let meter: DynamoMeter;
  let stack: TestStack;
  beforeAll(async () => {
    meter = await startDynamoMeter(process.env.TEST_DYNAMODB_ENDPOINT as string);
    stack = await startTestStack({ dynamoDbEndpoint: meter.endpoint });
  });
  afterAll(async () => {
    await stack.stop();
    await meter.close();
  });

  async function registered(): Promise<string> {
    const body = registration();
    expect((await post(stack.url, '/login-flow/register', body)).status).toBe(200);
    return String(body.email);
  }

  async function countedLogin(email: string) {
    meter.reset();
    const response = await post(stack.url, '/login-flow/login', { email, password: STRONG_PASSWORD });
    expect(response.status).toBe(200);
    return { reading: meter.read(), claims: decodeJwt(response.body.access_token as string) };
  }

  it('signs in with three requests: both limits in one transaction, the credential, and the session with the release', async () => {
    // Prepare
    const email = await registered();
    await countedLogin(email);
    // Act
    const { reading } = await countedLogin(email);
    // Assess
    expect(reading.requests).toBe(3);
    expect(reading.byOperation).toEqual({ TransactWriteItems: 2, GetItem: 1 });
  });

  it('reads the verified mark from the credential once the address is confirmed, with no profile read', async () => {
    // Prepare
    const email = await registered();
    await verifyEmail(stack, email);
    // Act
    const { reading, claims } = await countedLogin(email);
    // Assess
    expect(claims.email_verified).toBe(true);
    expect(reading.requests).toBe(3);
  });

  it('reads the profile once for a credential written before it carried the verified mark, and fills the mark in', async () => {
    // Prepare
    const email = await registered();
    await verifyEmail(stack, email);
    const db = createDocumentClient({ endpoint: process.env.TEST_DYNAMODB_ENDPOINT, region: 'us-east-1' });
    await db.send(new UpdateCommand({ TableName: stack.tableName, Key: itemKeys.credential(email), UpdateExpression: 'REMOVE emailVerified' }));
    // Act
    const first = await countedLogin(email);
    const second = await countedLogin(email);
    // Assess
    expect(first.claims.email_verified).toBe(true);
    expect(first.reading.byOperation).toEqual({ TransactWriteItems: 2, GetItem: 2 });
    expect(second.claims.email_verified).toBe(true);
    expect(second.reading.requests).toBe(3);
  });

  it('gives the address its unit back and ends the account streak in the session write', async () => {
    // Prepare
    const email = await registered();
    const wrong = await post(stack.url, '/login-flow/login', { email, password: 'not the password at all' });
    expect(wrong.status).toBe(403);
    // Act
    await countedLogin(email);
    // Assess
    const db = createDocumentClient({ endpoint: process.env.TEST_DYNAMODB_ENDPOINT, region: 'us-east-1' });
    const window = Math.floor(Date.now() / 1000 / 900);
    const [account, address] = await Promise.all(
      [`login#acct#${email}`, `login#ip#127.0.0.1#${window}`].map((key) =>
        db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.throttle(key), ConsistentRead: true })),
      ),
    );
    expect(account.Item).toBeUndefined();
    // The one wrong password stays counted; each of the sign-ins of this file took a unit and gave it back.
    expect(address.Item?.count).toBe(1);
  });
});
