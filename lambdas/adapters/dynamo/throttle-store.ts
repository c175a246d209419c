import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TakeAllOutcome, TakeOutcome, TakeRule, ThrottleCounter, ThrottleRelease, ThrottleStore } from '../../core/ports';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem } from './transaction';

/**
 * The conditional write of one take: one more unit, only while the counter is
 * live (not past `expiresAt`) and under the limit, or past a hold that ended.
 */
function takeUpdate(tableName: string, key: string, rule: TakeRule) {
  const held = rule.holdSeconds !== undefined;
  return {
    TableName: tableName,
    Key: itemKeys.throttle(key),
    UpdateExpression: `SET #count = if_not_exists(#count, :zero) + :one, lastAt = :now, expiresAt = :expiresAt${held ? ', heldUntil = :heldUntil' : ''}`,
    ConditionExpression: `(attribute_not_exists(expiresAt) OR expiresAt > :now) AND (attribute_not_exists(#count) OR #count < :limit${held ? ' OR heldUntil <= :now' : ''})`,
    ExpressionAttributeNames: { '#count': 'count' },
    ExpressionAttributeValues: {
      ':zero': 0,
      ':one': 1,
      ':now': rule.now,
      ':limit': rule.limit,
      ':expiresAt': rule.expiresAt,
      ...(held ? { ':heldUntil': rule.now + (rule.holdSeconds as number) } : {}),
    },
  };
}

/**
 * A release as transaction items, for a write that carries it (the session a
 * sign-in starts). Unconditional, so the release can never cancel that write:
 * the give-back cannot go below zero because this attempt's own unit is in the
 * counter, and a counter swept meanwhile comes back at zero with its expiry.
 */
export function releaseItems(tableName: string, release: ThrottleRelease): Record<`release${string}`, TransactItem> {
  const items: Record<`release${string}`, TransactItem> = {};
  release.clear.forEach((key, index) => {
    items[`releaseStreak${index}`] = { Delete: { TableName: tableName, Key: itemKeys.throttle(key) } };
  });
  release.giveBack.forEach(({ key, expiresAt }, index) => {
    items[`releaseUnit${index}`] = {
      Update: {
        TableName: tableName,
        Key: itemKeys.throttle(key),
        UpdateExpression: 'SET #count = if_not_exists(#count, :one) - :one, expiresAt = if_not_exists(expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt },
      },
    };
  });
  return items;
}

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
    const setHold = held ? ', heldUntil = :heldUntil' : '';
    // A stale counter (past expiresAt, not yet swept) never blocks; the reset below starts it again from one.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const { Attributes } = await guarded(() =>
          this.db.send(
            new UpdateCommand({ ...takeUpdate(this.tableName, key, rule), ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
          ),
        );
        return { taken: true, counter: counterOf(Attributes, rule.now) };
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
        const current = failedItem(error) ?? (await this.readOne(key));
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
                  ...(held ? { ':heldUntil': rule.now + (rule.holdSeconds as number) } : {}),
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

  /**
   * All takes as one TransactWriteItems: 2 write units per counter instead of
   * 1, for one request instead of one per counter. DynamoDB returns no values
   * from a transaction that succeeds, hence no counts; a refused counter comes
   * back as it stood (ReturnValuesOnConditionCheckFailure).
   */
  async takeAll(takes: { key: string; rule: TakeRule }[]): Promise<TakeAllOutcome> {
    const transaction = namedTransaction(
      Object.fromEntries(
        takes.map(({ key, rule }, index): [`take${number}`, TransactItem] => [
          `take${index}`,
          { Update: { ...takeUpdate(this.tableName, key, rule), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        ]),
      ),
    );
    try {
      await transaction.write(this.db);
      return { decided: true, taken: true };
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (!cancelled) throw error;
      // Another request was changing one of the counters: nothing was counted, and taking them one by one decides.
      if (cancelled.conflicted) return { decided: false };
      const refused = takes.flatMap(({ key, rule }, index) => {
        if (!cancelled.conditionFailed(`take${index}`)) return [];
        const old = cancelled.oldItem(`take${index}`);
        // A counter past its expiry failed only because it must restart: the one-by-one take restarts it.
        const stale = !old || (typeof old.expiresAt === 'number' && old.expiresAt <= rule.now);
        return stale ? [] : [{ key, counter: counterOf(old, rule.now) }];
      });
      return refused.length ? { decided: true, taken: false, refused } : { decided: false };
    }
  }

  async release(release: ThrottleRelease): Promise<void> {
    await Promise.all([...release.clear.map((key) => this.clear(key)), ...release.giveBack.map(({ key }) => this.giveBack(key))]);
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

/** The item a failed condition saw, when the write asked for it (ReturnValuesOnConditionCheckFailure); the document client leaves it marshalled. */
function failedItem(error: unknown): Record<string, unknown> | undefined {
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return item ? unmarshall(item) : undefined;
}

function counterOf(item: Record<string, unknown> | undefined, now: number): ThrottleCounter {
  return {
    count: typeof item?.count === 'number' ? item.count : 0,
    lastAt: typeof item?.lastAt === 'number' ? item.lastAt : now,
    ...(typeof item?.heldUntil === 'number' ? { heldUntil: item.heldUntil } : {}),
  };
}
