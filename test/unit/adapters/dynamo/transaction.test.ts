import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { namedTransaction, TransactionCancelledError } from '../../../../lambdas/adapters/dynamo/transaction';
import { LoginBridgeError, StoreUnavailableError } from '../../../../lambdas/core/errors';
import { freshTable } from '../../../support/dynamo';

describe('namedTransaction', () => {
  let db: Awaited<ReturnType<typeof freshTable>>['db'];
  let tableName: string;
  let sequence = 0;

  beforeAll(async () => {
    ({ db, tableName } = await freshTable());
  });

  /** A fresh partition per test so tests never see each other's items. */
  const key = (sk: string) => ({ pk: `TX#${sequence}`, sk });
  beforeEach(() => {
    sequence += 1;
  });

  const putNew = (sk: string, extra: Record<string, unknown> = {}) => ({
    Put: { TableName: tableName, Item: { ...key(sk), ...extra }, ConditionExpression: 'attribute_not_exists(pk)' },
  });

  it('writes every named item in one transaction', async () => {
    await namedTransaction({ first: putNew('A'), second: putNew('B') }).write(db);

    const [a, b] = await Promise.all(['A', 'B'].map((sk) => db.send(new GetCommand({ TableName: tableName, Key: key(sk), ConsistentRead: true }))));
    expect(a.Item).toEqual(key('A'));
    expect(b.Item).toEqual(key('B'));
  });

  it('names the item whose condition failed, whatever position it has, and writes nothing', async () => {
    await db.send(new PutCommand({ TableName: tableName, Item: key('TAKEN') }));
    const transaction = namedTransaction({ fresh: putNew('FRESH'), taken: putNew('TAKEN'), other: putNew('OTHER') });

    const error = await transaction.write(db).catch((thrown: unknown) => thrown);

    const cancelled = transaction.cancellation(error);
    expect(cancelled).toBeInstanceOf(TransactionCancelledError);
    expect(cancelled).toBeInstanceOf(LoginBridgeError);
    expect(cancelled?.failedConditions).toEqual(['taken']);
    expect(cancelled?.conditionFailed('fresh')).toBe(false);
    expect(cancelled?.conflicted).toBe(false);
    expect(cancelled?.message).toBe('Transaction cancelled: taken (ConditionalCheckFailed).');
    expect((cancelled?.cause as Error).name).toBe('TransactionCanceledException');
    const fresh = await db.send(new GetCommand({ TableName: tableName, Key: key('FRESH'), ConsistentRead: true }));
    expect(fresh.Item).toBeUndefined();
  });

  it('gives the old item, unmarshalled, for an item that asks for it with ReturnValuesOnConditionCheckFailure', async () => {
    await db.send(new PutCommand({ TableName: tableName, Item: { ...key('COUNTER'), count: 3, tags: new Set(['a']) } }));
    const transaction = namedTransaction({
      marker: putNew('MARKER'),
      counter: {
        Update: {
          TableName: tableName,
          Key: key('COUNTER'),
          UpdateExpression: 'ADD #count :one',
          ConditionExpression: '#count < :max',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':max': 3 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    });

    const cancelled = transaction.cancellation(await transaction.write(db).catch((thrown: unknown) => thrown));

    expect(cancelled?.conditionFailed('counter')).toBe(true);
    expect(cancelled?.oldItem('counter')).toEqual({ ...key('COUNTER'), count: 3, tags: new Set(['a']) });
    expect(cancelled?.oldItem('marker')).toBeUndefined();
  });

  it('leaves out items given as undefined, so optional parts keep the names of the others', async () => {
    await db.send(new PutCommand({ TableName: tableName, Item: key('LAST') }));
    const transaction = namedTransaction({ first: putNew('FIRST'), optional: undefined, last: putNew('LAST') });

    expect(transaction.names).toEqual(['first', 'last']);
    expect(transaction.input.TransactItems).toHaveLength(2);
    const cancelled = transaction.cancellation(await transaction.write(db).catch((thrown: unknown) => thrown));
    expect(cancelled?.failedConditions).toEqual(['last']);
  });

  it('reports a conflict when another request was changing one of the items', async () => {
    // The exception as DynamoDB sends it for a transaction that raced another one on the same item.
    const racing = {
      send: () =>
        Promise.reject(
          Object.assign(new Error('Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]'), {
            name: 'TransactionCanceledException',
            CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
          }),
        ),
    };
    const transaction = namedTransaction({ own: putNew('OWN'), shared: putNew('SHARED') });

    const cancelled = transaction.cancellation(await transaction.write(racing as unknown as typeof db).catch((thrown: unknown) => thrown));

    expect(cancelled?.conflicted).toBe(true);
    expect(cancelled?.reasons.get('shared')?.code).toBe('TransactionConflict');
    expect(cancelled?.failedConditions).toEqual([]);
    expect(cancelled?.message).toBe('Transaction cancelled: shared (TransactionConflict).');
  });

  it('refuses item names that JavaScript would reorder, and an empty transaction', () => {
    expect(() => namedTransaction({ first: putNew('A'), 7: putNew('B') })).toThrow('must not be a number: 7');
    expect(() => namedTransaction({ only: undefined })).toThrow('at least one item');
  });

  it('is not a cancellation for other errors, which pass through as the store client leaves them', async () => {
    const unreachable = { send: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })) };
    const transaction = namedTransaction({ only: putNew('A') });

    const error = await transaction.write(unreachable as unknown as typeof db).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(transaction.cancellation(error)).toBeUndefined();
    const raw = await transaction.send(unreachable as unknown as typeof db).catch((thrown: unknown) => thrown);
    expect((raw as Error).message).toContain('ECONNREFUSED');
  });
});
