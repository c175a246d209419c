import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, Ban, BanStore } from '../../core/admin/ports';
import { auditPuts } from './audit-store';
import { guarded } from './client';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

/**
 * Bans on the email tombstone (written by the account deletion, see
 * DynamoAccountDeletionStore.deleteAccount): read, and lifted together with the
 * operator's audit entry in one transaction. The tombstone itself stays, so
 * lazy migration still does not bring the deleted account back.
 */
export class DynamoBanStore implements BanStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(addressHash: string): Promise<Ban | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.emailTombstone(addressHash), ConsistentRead: true })),
    );
    return typeof Item?.bannedAt === 'string' ? { userId: String(Item.userId), bannedAt: Item.bannedAt } : undefined;
  }

  async clear(addressHash: string, ban: Ban, entry: AuditEntry, expiresAt: number): Promise<boolean> {
    const transaction = namedTransaction({
      ban: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.emailTombstone(addressHash),
          UpdateExpression: 'REMOVE bannedAt SET banClearedAt = :at',
          ConditionExpression: 'bannedAt = :bannedAt',
          ExpressionAttributeValues: { ':bannedAt': ban.bannedAt, ':at': entry.at },
        },
      },
      ...auditPuts(this.tableName, { entry, expiresAt }),
    });
    try {
      await transaction.write(this.db);
      return true;
    } catch (error) {
      if (transaction.cancellation(error)?.conditionFailed('ban')) return false;
      throw error;
    }
  }
}
