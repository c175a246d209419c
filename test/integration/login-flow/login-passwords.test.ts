import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Argon2Hasher } from '../../../lambdas/adapters/argon2-hasher';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { post, registration, uniqueEmail } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('POST /login-flow/login password handling', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { LOGIN_BACKOFF_FREE_FAILURES: '1000', LOGIN_IP_MAX_FAILURES: '100000' } });
  });
  afterAll(() => stack.stop());

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

  it('takes as long for an unknown email as for a wrong password', async () => {
    const user = registration();
    await post(stack.url, '/login-flow/register', user);
    const time = async (email: string) => {
      const started = performance.now();
      const response = await post(stack.url, '/login-flow/login', { email, password: 'a wrong password' });
      expect(response.status).toBe(403);
      return performance.now() - started;
    };
    await time(uniqueEmail('warm-up'));

    // Paired, back to back: whatever else the machine is doing weighs on both halves of a pair alike.
    const ratios: number[] = [];
    for (let index = 0; index < 21; index += 1) {
      const wrong = await time(String(user.email));
      const unknown = await time(uniqueEmail('ghost'));
      ratios.push(unknown / wrong);
    }

    // Both verify one argon2 hash and write the same counters; allow the noise of a shared machine.
    expect(Math.abs(median(ratios) - 1)).toBeLessThan(0.25);
  });
});
