/**
 * One DynamoDB Local (in memory) for the whole run; each integration test
 * file starts its own local stack against it with a table of its own.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../local/dynamodb-local';

export default async function globalSetup(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __dynamo?: typeof dynamo }).__dynamo = dynamo;
  writeFileSync(join(tmpdir(), `loginbridge-jest-${process.pid}.endpoint`), dynamo.endpoint);
}
