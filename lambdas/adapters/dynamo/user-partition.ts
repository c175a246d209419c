import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import { guarded, queryPartition } from './client';
import { itemKeys } from './table-design';
import { type NamedItems, type NamedTransaction, namedTransaction, type TransactItem } from './transaction';

/**
 * The writes that sweep a user's partition (its sessions and links) as the
 * account deletion and the password reset make them: what fits goes in the
 * caller's transaction, the rest in batches before it.
 */

/** DynamoDB allows 100 items per transaction. */
export const TRANSACTION_LIMIT = 100;

/** Deletes of throttle counters, named `throttle#<n>`. */
export function throttleDeletes(tableName: string, keys: string[]): Record<`throttle#${number}`, TransactItem> {
  return Object.fromEntries(keys.map((key, index) => [`throttle#${index}`, { Delete: { TableName: tableName, Key: itemKeys.throttle(key) } }]));
}

export function userPartition(db: DynamoDBDocumentClient, tableName: string, userId: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
  return queryPartition(db, tableName, itemKeys.userPartition(userId), skPrefix);
}

/** Deletes of a user's dependent items (sessions, reset links) inside a transaction, named `dependent#<n>`. */
export function dependentDeletes(tableName: string, items: Record<string, unknown>[]): Record<`dependent#${number}`, TransactItem> {
  return Object.fromEntries(items.map((item, index) => [`dependent#${index}`, { Delete: { TableName: tableName, Key: { pk: item.pk, sk: item.sk } } }]));
}

export async function batchDelete(db: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  for (let index = 0; index < items.length; index += 25) {
    let requests: Record<string, unknown>[] = items.slice(index, index + 25).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
    for (let attempt = 0; requests.length && attempt < 5; attempt += 1) {
      const result = await guarded(() => db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } })));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
      if (requests.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
    if (requests.length) throw new ConflictError('Could not finish deleting the account; try again.');
  }
}

/**
 * The caller's transaction with as many of `dependents` deleted in it as fit;
 * the rest are deleted first, in batches (if that fails the account is
 * intact and a retry finishes).
 */
export async function sweepingTransaction<Name extends string>(
  db: DynamoDBDocumentClient,
  tableName: string,
  core: NamedItems<Name>,
  dependents: Record<string, unknown>[],
): Promise<NamedTransaction<Name | `dependent#${number}`>> {
  const room = TRANSACTION_LIMIT - Object.values(core).filter(Boolean).length;
  await batchDelete(db, tableName, dependents.slice(room));
  const items = { ...core, ...dependentDeletes(tableName, dependents.slice(0, room)) } as NamedItems<Name | `dependent#${number}`>;
  return namedTransaction(items);
}
