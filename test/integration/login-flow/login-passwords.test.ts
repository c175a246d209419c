import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoMeter, startDynamoMeter } from '../../../bench/dynamo-meter';
import { Argon2Hasher } from '../../../lambdas/adapters/argon2-hasher';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { post, registration, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

describe('POST /login-flow/login password handling', () => {
  let stack: TestStack;
  let meter: DynamoMeter;
  beforeAll(async () => {
    meter = await startDynamoMeter(process.env.TEST_DYNAMODB_ENDPOINT as string);
    stack = await startTestStack({ dynamoDbEndpoint: meter.endpoint, env: { LOGIN_BACKOFF_FREE_FAILURES: '1000', LOGIN_IP_MAX_FAILURES: '100000' } });
  });
  afterAll(async () => {
    await stack.stop();
    await meter.close();
  });

  it('upgrades a hash made with older parameters on the next successful login', async () => {
    // Prepare: an account whose stored hash uses weak, older parameters.
    const user = registration();
    await post(stack.url, '/login-flow/register', user);
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    const key = { pk: `EMAIL#${user.email}`, sk: 'CREDENTIAL' };
    const weak = await new Argon2Hasher({ memoryCost: 4096, timeCost: 1, parallelism: 1 }).hash(String(user.password));
    await db.send(
      new UpdateCommand({ TableName: stack.tableName, Key: key, UpdateExpression: 'SET passwordHash = :h', ExpressionAttributeValues: { ':h': weak } }),
    );
    // Act
    const response = await post(stack.url, '/login-flow/login', { email: user.email, password: user.password });
    // Assess
    expect(response.status).toBe(200);
    const { Item } = await db.send(new GetCommand({ TableName: stack.tableName, Key: key }));
    expect(Item!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await post(stack.url, '/login-flow/login', { email: user.email, password: user.password })).status).toBe(200);
  });

  it('costs an unknown email what a wrong password costs: one argon2id verification at the current parameters and the same DynamoDB requests', async () => {
    // Prepare: counted, not timed, so a busy machine cannot change the outcome (the medians are measured by the
    // reliability suite's timing part, as a ratio within one run).
    const user = registration();
    await post(stack.url, '/login-flow/register', user);
    const verifications = jest.spyOn(Argon2Hasher.prototype, 'verify');
    const counted = async (email: string) => {
      verifications.mockClear();
      meter.reset();
      const response = await post(stack.url, '/login-flow/login', { email, password: 'a wrong password' });
      expect(response.status).toBe(403);
      return {
        body: { ...response.body, correlationId: typeof response.body.correlationId },
        verifiedHashes: verifications.mock.calls.map(([hashed]) => String(hashed).replace(/\$[^$]*\$[^$]*$/, '')),
        requests: meter.read().byOperation,
      };
    };
    await counted(uniqueEmail('warm-up'));
    // Act
    const wrong = await counted(String(user.email));
    const unknown = await counted(uniqueEmail('ghost'));
    // Assess
    expect(wrong.verifiedHashes).toEqual(['$argon2id$v=19$m=19456,t=2,p=1']);
    expect(unknown).toEqual(wrong);
    verifications.mockRestore();
  });
});
