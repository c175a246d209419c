import { post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

// Lifetimes are read once per instance, so short ones get a stack (and a file) of their own.
describe('POST /login-flow/refresh with short lifetimes', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { REFRESH_IDLE_TTL_SECONDS: '60', REFRESH_ABSOLUTE_TTL_SECONDS: '62' } });
  });
  afterAll(() => stack.stop());

  it('ends a family at its absolute lifetime however often it is used', async () => {
    // Prepare: refresh keeps the family busy, so only the absolute limit can end it.
    let token = (await post(stack.url, '/login-flow/register', registration())).body.refresh_token as string;
    token = (await post(stack.url, '/login-flow/refresh', { refresh_token: token })).body.refresh_token;
    // Act: wait past the 62 s absolute lifetime is too slow for a test; check the stored expiry instead.
    const [userId, familyId] = token.split('.');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const { Item } = await db.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `USER#${userId}`, sk: `SESSION#${familyId}` } }));
    // Assess: DynamoDB TTL removes the record no later than the absolute end; the hash is all that is stored.
    expect(Item!.absoluteExpiresAt - Item!.createdAt).toBe(62);
    expect(Item!.expiresAt).toBeLessThanOrEqual(Item!.absoluteExpiresAt);
    expect(JSON.stringify(Item)).not.toContain(token.split('.')[2]);
  });
});
