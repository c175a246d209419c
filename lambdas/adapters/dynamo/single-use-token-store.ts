import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SingleUseToken, SingleUseTokenPurpose, SingleUseTokenStore } from '../../core/ports';
import { singleUseTokenFromItem, singleUseTokenItem, singleUseTokenKey } from './account-items';
import { guarded } from './client';
import type { TransactItem } from './transaction';

/** Why a spend was refused, as the record says after the refusal; undefined: the record is still spendable (a conflict, not a refusal). */
export type SpendRefusal = 'token-unknown' | 'token-used' | 'token-expired';

/**
 * Password-reset and email-verification links in the user's partition. A
 * link is spent by one conditional write (`spend`) that the acting store puts
 * in the transaction of its act, so the link and what it does land together
 * or not at all.
 */
export class DynamoSingleUseTokenStore implements SingleUseTokenStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(purpose: SingleUseTokenPurpose, token: Omit<SingleUseToken, 'usedAt'>): Promise<void> {
    await guarded(() => this.db.send(new PutCommand({ TableName: this.tableName, Item: singleUseTokenItem(purpose, token) })));
  }

  async get(purpose: SingleUseTokenPurpose, userId: string, tokenHash: string): Promise<SingleUseToken | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: singleUseTokenKey(purpose, userId, tokenHash), ConsistentRead: true })),
    );
    return Item ? singleUseTokenFromItem(Item) : undefined;
  }

  /** The one conditional write that spends a link: only if it exists, is unused and unexpired; it stays, marked used, until its TTL. */
  spend(purpose: SingleUseTokenPurpose, userId: string, tokenHash: string, now: number): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: singleUseTokenKey(purpose, userId, tokenHash),
        UpdateExpression: 'SET usedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
        ExpressionAttributeValues: { ':now': now },
      },
    };
  }

  /** After a spend was refused or lost a race: what the record says now decides. */
  async refusal(purpose: SingleUseTokenPurpose, userId: string, tokenHash: string, now: number): Promise<SpendRefusal | undefined> {
    const current = await this.get(purpose, userId, tokenHash);
    if (!current) return 'token-unknown';
    if (current.usedAt !== undefined) return 'token-used';
    if (current.expiresAt <= now) return 'token-expired';
    return undefined;
  }
}
