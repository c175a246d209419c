import { BatchGetCommand, DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TakeOutcome, TakeRule, ThrottleCounter, ThrottleStore } from '../../core/ports';
import { guarded, isConditionalFailure } from './client';
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

  async take(key: string, rule: TakeRule): Promise<TakeOutcome> {
    const held = rule.holdSeconds !== undefined;
    const values = {
      ':zero': 0,
      ':one': 1,
      ':now': rule.now,
      ':limit': rule.limit,
      ':expiresAt': rule.expiresAt,
      ...(held ? { ':heldUntil': rule.now + (rule.holdSeconds as number) } : {}),
    };
    const setHold = held ? ', heldUntil = :heldUntil' : '';
    // A stale counter (past expiresAt, not yet swept) never blocks; the reset below starts it again from one.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const { Attributes } = await guarded(() =>
          this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: itemKeys.throttle(key),
              UpdateExpression: `SET #count = if_not_exists(#count, :zero) + :one, lastAt = :now, expiresAt = :expiresAt${setHold}`,
              ConditionExpression: `(attribute_not_exists(expiresAt) OR expiresAt > :now) AND (attribute_not_exists(#count) OR #count < :limit${held ? ' OR heldUntil <= :now' : ''})`,
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: values,
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return { taken: true, counter: counterOf(Attributes, rule.now) };
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
        const current = await this.readOne(key);
        const stale = !current || (typeof current.expiresAt === 'number' && current.expiresAt <= rule.now);
        if (!stale) return { taken: false, counter: counterOf(current, rule.now) };
        try {
          const { Attributes } = await guarded(() =>
            this.db.send(
              new UpdateCommand({
                TableName: this.tableName,
                Key: itemKeys.throttle(key),
                UpdateExpression: `SET #count = :one, lastAt = :now, expiresAt = :expiresAt${setHold}`,
                ConditionExpression: 'attribute_not_exists(expiresAt) OR expiresAt <= :now',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: {
                  ':one': 1,
                  ':now': rule.now,
                  ':expiresAt': rule.expiresAt,
                  ...(held ? { ':heldUntil': values[':heldUntil'] } : {}),
                },
                ReturnValues: 'ALL_NEW',
              }),
            ),
          );
          return { taken: true, counter: counterOf(Attributes, rule.now) };
        } catch (resetError) {
          // Another take restarted the counter first: take against the fresh counter.
          if (!isConditionalFailure(resetError)) throw resetError;
        }
      }
    }
    const current = await this.readOne(key);
    return { taken: false, counter: counterOf(current, rule.now) };
  }

  async giveBack(key: string): Promise<void> {
    await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.throttle(key),
          UpdateExpression: 'SET #count = #count - :one',
          ConditionExpression: '#count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        }),
      ),
    ).catch((error: unknown) => {
      if (!isConditionalFailure(error)) throw error;
    });
  }

  async holdUntil(key: string, count: number, until: number): Promise<void> {
    await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.throttle(key),
          UpdateExpression: 'SET heldUntil = :until',
          ConditionExpression: '#count = :count',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':count': count, ':until': until },
        }),
      ),
    ).catch((error: unknown) => {
      if (!isConditionalFailure(error)) throw error;
    });
  }

  private async readOne(key: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.throttle(key), ConsistentRead: true })));
    return Item;
  }

  async clear(key: string): Promise<void> {
    await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.throttle(key) })));
  }
}

function counterOf(item: Record<string, unknown> | undefined, now: number): ThrottleCounter {
  return {
    count: typeof item?.count === 'number' ? item.count : 0,
    lastAt: typeof item?.lastAt === 'number' ? item.lastAt : now,
    ...(typeof item?.heldUntil === 'number' ? { heldUntil: item.heldUntil } : {}),
  };
}
