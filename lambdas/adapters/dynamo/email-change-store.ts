import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../../core/email';
import type { EmailChangeOutcome, EmailChangeRecord, EmailChangeStore } from '../../core/email-change';
import { guarded, updateUserFamilies } from './client';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

/**
 * Pending email changes live in the user's partition (they die with the
 * account). Confirming one moves the address's uniqueness claim (the
 * `EMAIL#<address>` credential item) and the profile's email in one
 * transaction with the token's spending.
 */
export class DynamoEmailChangeStore implements EmailChangeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saveEmailChange(record: EmailChangeRecord): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.emailChange(record.userId, record.tokenHash), type: 'email-change', ...record } }),
      ),
    );
  }

  async getEmailChange(userId: string, tokenHash: string): Promise<EmailChangeRecord | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.emailChange(userId, tokenHash), ConsistentRead: true })),
    );
    if (!Item) return undefined;
    return {
      userId: Item.userId,
      tokenHash: Item.tokenHash,
      oldEmail: Item.oldEmail,
      newEmail: Item.newEmail,
      createdAt: Item.createdAt,
      expiresAt: Item.expiresAt,
      ...(typeof Item.usedAt === 'number' ? { usedAt: Item.usedAt } : {}),
    };
  }

  async completeEmailChange(userId: string, tokenHash: string, now: number): Promise<EmailChangeOutcome> {
    const record = await this.getEmailChange(userId, tokenHash);
    if (!record) return 'token-unknown';
    const { Item: credential } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.credential(record.oldEmail), ConsistentRead: true })),
    );
    // Gone or moved: most often a confirm of this very link won a moment ago (the record says so).
    if (!credential || credential.userId !== userId) return (await this.spentState(userId, tokenHash, now)) ?? 'account-changed';
    const { pk: _pk, sk: _sk, ...claim } = credential;
    const passwordGuard =
      typeof credential.passwordHash === 'string'
        ? { expression: 'userId = :userId AND passwordHash = :hash', values: { ':userId': userId, ':hash': credential.passwordHash } }
        : { expression: 'userId = :userId AND attribute_not_exists(passwordHash)', values: { ':userId': userId } };
    const transaction = namedTransaction({
      link: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.emailChange(userId, tokenHash),
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': now },
        },
      },
      // Only from the address the change started from: a second change confirmed meanwhile leaves this one nothing to move.
      profile: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.profile(userId),
          UpdateExpression: 'SET email = :new, emailVerifiedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND email = :old',
          ExpressionAttributeValues: { ':new': record.newEmail, ':old': record.oldEmail, ':at': new Date(now * 1000).toISOString() },
        },
      },
      // The old claim goes as read: a password changed since the read cancels the move (nothing is lost; the user confirms again).
      oldClaim: {
        Delete: {
          TableName: this.tableName,
          Key: itemKeys.credential(record.oldEmail),
          ConditionExpression: passwordGuard.expression,
          ExpressionAttributeValues: passwordGuard.values,
        },
      },
      // The new claim only if nobody holds the address by now: the same uniqueness rule as registration.
      newClaim: {
        Put: {
          TableName: this.tableName,
          Item: { ...claim, ...itemKeys.credential(record.newEmail), email: record.newEmail, emailVerified: true },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // A banned address stays banned, as at registration.
      ban: {
        ConditionCheck: {
          TableName: this.tableName,
          Key: itemKeys.emailTombstone(addressHash(record.newEmail)),
          ConditionExpression: 'attribute_not_exists(bannedAt)',
        },
      },
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (!cancelled) throw error;
      // Lost to, or raced with, another confirm of the same link: what the record says now decides, before anything else.
      const spent = cancelled.conditionFailed('link') || cancelled.conflicted ? await this.spentState(userId, tokenHash, now) : undefined;
      if (spent) return spent;
      if (cancelled.conditionFailed('newClaim') || cancelled.conditionFailed('ban')) return 'email-taken';
      if (cancelled.conditionFailed('profile') || cancelled.conditionFailed('oldClaim')) return 'account-changed';
      throw error;
    }
    // Refresh reads no profile: the families carry the `email_verified` claim, and the new address is proven.
    await updateUserFamilies(this.db, this.tableName, itemKeys.userPartition(userId), {
      UpdateExpression: 'SET emailVerified = :yes',
      ExpressionAttributeValues: { ':yes': true },
    });
    return 'changed';
  }

  /** Why a link cannot be spent any more, read fresh; undefined while it still could be. */
  private async spentState(userId: string, tokenHash: string, now: number): Promise<EmailChangeOutcome | undefined> {
    const current = await this.getEmailChange(userId, tokenHash);
    if (!current) return 'token-unknown';
    if (current.usedAt !== undefined) return 'token-used';
    if (current.expiresAt <= now) return 'token-expired';
    return undefined;
  }
}
