import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RunningDynamoDb, startDynamoDbLocal } from '../../../local/dynamodb-local';
import { type LocalStack, startLocalStack } from '../../../local/stack';
import { post, registration } from '../../support/http';

describe('the Login Flow when DynamoDB is down', () => {
  let dynamo: RunningDynamoDb;
  let stack: LocalStack;
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal({ port: await freePort() });
    stack = await startLocalStack({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'lb-down-')),
      dynamoDbEndpoint: dynamo.endpoint,
      simulators: false,
      env: { LOG_LEVEL: 'SILENT' },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await dynamo.stop();
  });

  it('answers a fast 503 with a clear message, and works again once DynamoDB is back', async () => {
    // Prepare
    const user = registration();
    expect((await post(stack.url, '/login-flow/register', user)).status).toBe(200);
    await dynamo.stop();
    // Act
    const started = Date.now();
    const login = await post(stack.url, '/login-flow/login', { email: user.email, password: user.password });
    const register = await post(stack.url, '/login-flow/register', registration());
    // Assess
    expect(login.status).toBe(503);
    expect(login.body).toMatchObject({ error: 'temporarily_unavailable', formError: expect.stringMatching(/temporarily unavailable/) });
    expect(login.headers.get('retry-after')).toBe('1');
    expect(register.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(8000);

    // In-memory DynamoDB Local lost its data on restart: recreate on the same port and check the service recovers.
    dynamo = await startDynamoDbLocal({ port: dynamo.port });
    const { ensureTable } = await import('../../../local/table');
    await ensureTable(dynamo.endpoint, stack.tableName);
    expect((await post(stack.url, '/login-flow/register', registration())).status).toBe(200);
  });
});
