import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import type { BeginOutcome, IdempotencyRecord, IdempotencyStore } from '../../core/portal/ports';
import { guarded, isConditionalFailure } from './client';
import { completionUpdate, PortalTable, strip } from './portal-items';
import { itemKeys } from './table-design';

/** Idempotency-Key records of the portal and the console (core/idempotent.ts runs them). */
export class DynamoIdempotencyStore extends PortalTable implements IdempotencyStore {
  async beginIdempotent(record: IdempotencyRecord, now: number): Promise<BeginOutcome> {
    try {
      const result = await guarded(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...itemKeys.idempotency(record.userId, record.keyHash), type: 'idempotency', ...record },
            // New, or expired but not yet swept by TTL, or a pending attempt whose holder is presumed dead (same request only).
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :pending AND lockedUntil < :now AND fingerprint = :fingerprint)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':now': now, ':pending': 'pending', ':fingerprint': record.fingerprint },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      const old = result.Attributes;
      if (old && old.state === 'pending' && (old.expiresAt as number) >= now)
        return { outcome: 'taken-over', previous: strip(old) as unknown as IdempotencyRecord };
      return { outcome: 'started' };
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const existing = await this.get(itemKeys.idempotency(record.userId, record.keyHash));
      // Released between our write and our read: the caller may simply try again.
      if (!existing) throw new ConflictError('A request with this Idempotency-Key just finished failing; try again.');
      return { outcome: 'exists', existing: strip(existing) as unknown as IdempotencyRecord };
    }
  }

  async completeIdempotent(userId: string, keyHash: string, operationId: string, response: { statusCode: number; sealed: string }): Promise<void> {
    try {
      await guarded(() => this.db.send(new UpdateCommand(completionUpdate(this.tableName, userId, keyHash, operationId, response).Update)));
    } catch (error) {
      if (isConditionalFailure(error))
        throw new ConflictError('This request was taken over by a retry with the same Idempotency-Key; use its answer.', { cause: error });
      throw error;
    }
  }

  async releaseIdempotent(userId: string, keyHash: string, operationId: string): Promise<void> {
    try {
      await guarded(() =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: itemKeys.idempotency(userId, keyHash),
            ConditionExpression: 'operationId = :operation AND #state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':operation': operationId, ':pending': 'pending' },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }
}
