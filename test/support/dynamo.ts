import { createDocumentClient } from '../../lambdas/adapters/dynamo/client';
import { ensureTable } from '../../local/table';

let counter = 0;

/** A fresh table on the run's DynamoDB Local, and a document client for it, for tests below the HTTP layer. */
export async function freshTable() {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run the tests through jest.');
  counter += 1;
  const tableName = `unit-${process.pid}-${counter}-${Date.now()}`;
  await ensureTable(endpoint, tableName);
  // ensureTable uses the 'local' access key; DynamoDB Local keeps one database per key, so use the same.
  return { db: createDocumentClient({ endpoint, region: 'us-east-1' }), tableName, endpoint };
}
