import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../core/admin/ports';
import { ConflictError } from '../../core/errors';
import type { Membership, MembershipStore } from '../../core/portal/ports';
import { auditPuts } from './audit-store';
import { guarded } from './client';
import { type Item, membershipOf, PortalTable } from './portal-items';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

/** Users' portal memberships: team, permissions and the role grants recorded for their address. */
export class DynamoMembershipStore extends PortalTable implements MembershipStore {
  getMembership(userId: string): Promise<Membership | undefined> {
    return this.readMembership(userId);
  }

  /** Memberships of several users (for checking who of a team still exists). */
  async getMemberships(userIds: string[]): Promise<Map<string, Membership>> {
    const found = new Map<string, Membership>();
    for (let index = 0; index < userIds.length; index += 100) {
      let keys: Item[] = userIds.slice(index, index + 100).map((userId) => itemKeys.portalMembership(userId));
      for (let attempt = 0; keys.length && attempt < 5; attempt += 1) {
        const result = await guarded(() => this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } })));
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(item.userId as string, membershipOf(item));
        keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
        if (keys.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    return found;
  }

  async recordAddressGrant(userId: string, marker: string, audit: AuditRecord): Promise<boolean> {
    const transaction = namedTransaction({
      membership: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.portalMembership(userId),
          UpdateExpression: 'ADD recordedGrants :marker SET userId = :user, #type = :type',
          // Recorded once: a concurrent first use finds the marker and leaves the entry it wrote alone.
          ConditionExpression: 'attribute_not_exists(recordedGrants) OR NOT contains(recordedGrants, :name)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':marker': new Set([marker]), ':name': marker, ':user': userId, ':type': 'portal-membership' },
        },
      },
      ...auditPuts(this.tableName, audit),
    });
    try {
      await transaction.write(this.db);
      return true;
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('membership')) return false;
      // A concurrent first request (the portal page loads several at once) recording the same grant: its entry stands.
      if (cancelled?.conflicted && (await this.readMembership(userId))?.recordedGrants?.includes(marker)) return false;
      if (cancelled) throw new ConflictError('Your account changed meanwhile; please try again.', { cause: error });
      throw error;
    }
  }
}
