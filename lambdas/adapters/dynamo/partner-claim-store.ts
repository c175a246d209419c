import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PartnerClaim } from '../../core/sso/partner-identities';
import type { PartnerClaimStore } from '../../core/sso/ports';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';

/**
 * Claim items `PARTNER#<partner>#<kind>#<value>` / `CLAIM`: one conditional put. A claim left by a deleted account
 * (user ids are never reused, and records from before claims were released on deletion may have left one) is taken
 * over with a put conditioned on that old holder, so it never blocks a new account and never moves from a live one.
 */
export class DynamoPartnerClaimStore implements PartnerClaimStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(userId: string, claim: PartnerClaim, retried = false): Promise<boolean> {
    const key = itemKeys.partnerClaim(claim.partner, claim.kind, claim.value);
    const item = { ...key, type: 'partner-claim', ...claim, userId };
    try {
      await guarded(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk) OR userId = :user',
            ExpressionAttributeValues: { ':user': userId },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
    const { Item: held } = await guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })));
    const holder = held?.userId as string | undefined;
    // Released between the two requests: try once more from the start.
    if (!holder) return retried ? false : this.claim(userId, claim, true);
    const { Item: profile } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.profile(holder), ConsistentRead: true, ProjectionExpression: 'pk' })),
    );
    if (profile) return false;
    try {
      await guarded(() =>
        this.db.send(
          new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'userId = :stale', ExpressionAttributeValues: { ':stale': holder } }),
        ),
      );
      return true;
    } catch (error) {
      // Someone else took it over first: that account holds it now.
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }
}
