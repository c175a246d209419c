import { existsSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountImporter } from '../../lambdas/adapters/dynamo/account-importer';

export interface TableTarget {
  tableName: string;
  /** A DynamoDB Local (or other) endpoint; unset for a deployed table. */
  endpoint?: string;
  region?: string;
}

/**
 * Which table the user commands write to: `--table` (with `--endpoint`
 * optional) names a deployed table reached with the standard AWS credentials
 * and region; otherwise the local stack's, from the same settings as
 * `npm start` (DYNAMODB_ENDPOINT, TABLE_NAME, `.env`).
 */
export function resolveTarget(flags: { table?: string; endpoint?: string; region?: string }, env: NodeJS.ProcessEnv = process.env): TableTarget {
  if (flags.table) return { tableName: flags.table, endpoint: flags.endpoint, region: flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION };
  const endpoint = flags.endpoint ?? env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    throw new Error('No table: set DYNAMODB_ENDPOINT (the local stack prints it when it starts) or pass --table <name> for a deployed table.');
  }
  return { tableName: env.TABLE_NAME || 'loginbridge-local', endpoint, region: flags.region ?? env.AWS_REGION ?? 'us-east-1' };
}

export function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}

/**
 * A client for bulk work: unlike the handlers' (two tries, 1.5 s), it lets the
 * SDK retry throttling with its own back-off and waits longer per request.
 */
export function importerFor(target: TableTarget): { importer: DynamoAccountImporter; close(): void } {
  const client = new DynamoDBClient({
    ...(target.region ? { region: target.region } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 10,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 30_000 },
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { importer: new DynamoAccountImporter(db, target.tableName), close: () => client.destroy() };
}
