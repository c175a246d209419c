import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from '../../core/errors';

export interface DynamoSettings {
  region?: string;
  /** A local endpoint such as DynamoDB Local; unset in AWS. */
  endpoint?: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * A document client with bounded time: a slow or absent DynamoDB answers a
 * request with 503 in about a second instead of hanging until Lambda's timeout.
 */
export function createDocumentClient(settings: DynamoSettings): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 2,
    // throwOnRequestTimeout: without it the SDK only logs a warning and keeps waiting.
    requestHandler: { connectionTimeout: settings.connectTimeoutMs ?? 500, requestTimeout: settings.requestTimeoutMs ?? 1500, throwOnRequestTimeout: true },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** True for errors that mean "DynamoDB is not answering now", as opposed to a bug or a failed condition. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (UNAVAILABLE.has(error.name) || (code && NETWORK_CODES.has(code))) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (error.cause) return isUnavailable(error.cause);
  return /ECONNREFUSED|socket hang up|timed? ?out/i.test(error.message);
}

/**
 * Pauses before retrying a single-item write that met a transaction in flight
 * on the same item: DynamoDB rejects it (TransactionConflictException) without
 * applying it, and the SDK does not retry that error. Jittered, so writes that
 * met the same transaction do not meet again.
 */
const CONFLICT_PAUSES_MS = [5, 20, 60];

/** True when a single-item request was refused because a transaction was changing the same item. */
export function isTransactionConflict(error: unknown): boolean {
  return error instanceof Error && error.name === 'TransactionConflictException';
}

/**
 * Runs a DynamoDB call. A transaction conflict is retried (the refused write
 * changed nothing, so the call runs again as new); availability failures and
 * a conflict that outlasts the retries become StoreUnavailableError (503,
 * Retry-After); everything else passes through.
 */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const conflict = isTransactionConflict(error);
      if (conflict && attempt < CONFLICT_PAUSES_MS.length) {
        await new Promise((resume) => setTimeout(resume, CONFLICT_PAUSES_MS[attempt] * (0.5 + Math.random())));
        continue;
      }
      if (conflict || isUnavailable(error)) throw new StoreUnavailableError({ cause: error });
      throw error;
    }
  }
}

export function isConditionalFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** A conditional UpdateItem whose refusal is an answer, not an error: true when it was written, false when its condition failed. */
export async function updateIf(db: DynamoDBDocumentClient, input: UpdateCommandInput): Promise<boolean> {
  try {
    await guarded(() => db.send(new UpdateCommand(input)));
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

/**
 * Every item of one partition (optionally only sort keys starting with
 * `skPrefix`), strongly consistent, following the pages to the end.
 */
export async function queryPartition(db: DynamoDBDocumentClient, tableName: string, pk: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await guarded(() =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':prefix': skPrefix } : {}) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Applies one update to every session family of a user, in parallel. A family
 * deleted meanwhile is skipped (the condition), never written back. Used where
 * refresh, one conditional write with no profile read, must learn a change
 * about its user (email verified, account disabled or enabled).
 */
export async function updateUserFamilies(
  db: DynamoDBDocumentClient,
  tableName: string,
  userPartition: string,
  update: { UpdateExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
): Promise<void> {
  const families = await queryPartition(db, tableName, userPartition, 'SESSION#');
  await Promise.all(
    families.map((family) =>
      guarded(() =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: family.pk, sk: family.sk },
            ConditionExpression: 'attribute_exists(pk)',
            ...update,
          }),
        ),
      ).catch((error: unknown) => {
        if (!isConditionalFailure(error)) throw error;
      }),
    ),
  );
}
