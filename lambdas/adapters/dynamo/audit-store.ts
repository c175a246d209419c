import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditPage, AuditRecord, AuditStore } from '../../core/admin/ports';
import { ValidationError } from '../../core/errors';
import { guarded } from './client';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem } from './transaction';

const SORT_KEY = /^\d{4}-\d\d-\d\dT[\d:.]+Z#[A-Za-z0-9_-]{1,64}$/;

/**
 * The three Puts of one audit entry (by target, by actor, all), named for a
 * NamedTransaction: a console action adds them to its own transaction, so
 * the action and its entry are written together or not at all.
 */
export function auditPuts(tableName: string, record: AuditRecord): { auditByUser: TransactItem; auditByActor: TransactItem; auditAll: TransactItem } {
  const { entry, expiresAt } = record;
  const sk = itemKeys.auditSortKey(entry.at, entry.auditId);
  const put = (pk: string): TransactItem => ({
    Put: { TableName: tableName, Item: { pk, sk, type: 'audit', ...entry, expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  return {
    auditByUser: put(itemKeys.auditByUser(entry.targetUserId)),
    auditByActor: put(itemKeys.auditByActor(entry.actorId)),
    auditAll: put(itemKeys.auditAll),
  };
}

/**
 * The audit trail in the single table. Each entry is written three times in
 * one transaction (under its target, its actor and the global list) so every
 * listing is one query on a partition, newest first by its time-ordered sort
 * key; TTL removes entries after the retention period. The cursor is the last
 * sort key read, base64url-encoded.
 */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(record: AuditRecord): Promise<void> {
    await namedTransaction(auditPuts(this.tableName, record)).write(this.db);
  }

  async list(filter: { userId?: string; actor?: string }, limit: number, cursor?: string): Promise<AuditPage> {
    const pk = filter.userId ? itemKeys.auditByUser(filter.userId) : filter.actor ? itemKeys.auditByActor(filter.actor) : itemKeys.auditAll;
    let startKey: Record<string, unknown> | undefined;
    if (cursor) {
      const sk = Buffer.from(cursor, 'base64url').toString('utf8');
      if (!SORT_KEY.test(sk)) throw new ValidationError('The cursor is not valid; start again without it.', { cursor: 'Not a cursor from this listing.' });
      startKey = { pk, sk };
    }
    // Both filters: the target's partition, narrowed to the actor (a page may then hold fewer than `limit` entries).
    const byActorToo = !!(filter.userId && filter.actor);
    const page = await guarded(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ...(byActorToo ? { FilterExpression: 'actorId = :actor' } : {}),
          ExpressionAttributeValues: { ':pk': pk, ...(byActorToo ? { ':actor': filter.actor } : {}) },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const now = Math.floor(Date.now() / 1000);
    const entries = (page.Items ?? [])
      .filter((item) => typeof item.expiresAt !== 'number' || item.expiresAt > now)
      .map(({ pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...entry }) => entry as unknown as AuditEntry);
    const last = page.LastEvaluatedKey?.sk;
    return { entries, ...(typeof last === 'string' ? { nextCursor: Buffer.from(last, 'utf8').toString('base64url') } : {}) };
  }
}
