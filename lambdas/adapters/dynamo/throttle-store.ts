import { BatchGetCommand, DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ThrottleCounter, ThrottleStore } from '../../core/ports';
import { guarded } from './client';
import { itemKeys } from './table-design';

/** Shared counters: atomic ADD, expired by DynamoDB TTL (and ignored once past `expiresAt`, since TTL deletes lazily). */
export class DynamoThrottleStore implements ThrottleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async read(keys: string[]): Promise<Map<string, ThrottleCounter>> {
    const unique = [...new Set(keys)];
    const { Responses } = await guarded(() =>
      this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: unique.map(itemKeys.throttle), ConsistentRead: true } } })),
    );
    const now = this.nowSeconds();
    const counters = new Map<string, ThrottleCounter>();
    for (const item of Responses?.[this.tableName] ?? []) {
      if (typeof item.expiresAt === 'number' && item.expiresAt <= now) continue;
      counters.set((item.pk as string).slice('THROTTLE#'.length), { count: item.count, lastAt: item.lastAt });
    }
    return counters;
  }

  async increment(key: string, now: number, expiresAt: number): Promise<ThrottleCounter> {
    const { Attributes } = await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.throttle(key),
          // A counter whose TTL passed but that DynamoDB has not yet swept starts again from zero.
          UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one, lastAt = :now, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':now': now, ':expiresAt': expiresAt },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    ).catch(async (error: unknown) => {
      if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
      return guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKeys.throttle(key),
            UpdateExpression: 'SET #count = :one, lastAt = :now, expiresAt = :expiresAt',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':now': now, ':expiresAt': expiresAt },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
    });
    return { count: Attributes?.count ?? 1, lastAt: Attributes?.lastAt ?? now };
  }

  async clear(key: string): Promise<void> {
    await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.throttle(key) })));
  }
}
