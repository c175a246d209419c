import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailVerificationRecord, EmailVerificationStore, VerificationOutcome } from '../../core/email-verification';
import { guarded, isConditionalFailure, updateUserFamilies } from './client';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

/**
 * Verification tokens live in the user's partition (they die with the
 * account); the verified mark lives on the profile. Spending a token and
 * marking the profile is one transaction.
 */
export class DynamoVerificationStore implements EmailVerificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saveVerification(record: EmailVerificationRecord): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.verification(record.userId, record.tokenHash), type: 'email-verification', ...record },
        }),
      ),
    );
  }

  async getVerification(userId: string, tokenHash: string): Promise<EmailVerificationRecord | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.verification(userId, tokenHash), ConsistentRead: true })),
    );
    if (!Item) return undefined;
    return {
      userId: Item.userId,
      tokenHash: Item.tokenHash,
      email: Item.email,
      createdAt: Item.createdAt,
      expiresAt: Item.expiresAt,
      ...(typeof Item.usedAt === 'number' ? { usedAt: Item.usedAt } : {}),
    };
  }

  async completeVerification(userId: string, tokenHash: string, now: number): Promise<VerificationOutcome> {
    const record = await this.getVerification(userId, tokenHash);
    if (!record) return 'token-unknown';
    const transaction = namedTransaction({
      link: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.verification(userId, tokenHash),
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': now },
        },
      },
      profile: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.profile(userId),
          // The first proof counts; a later link changes nothing.
          UpdateExpression: 'SET emailVerifiedAt = if_not_exists(emailVerifiedAt, :at)',
          ConditionExpression: 'attribute_exists(pk) AND email = :email',
          ExpressionAttributeValues: { ':at': new Date(now * 1000).toISOString(), ':email': record.email },
        },
      },
      // The copy a sign-in reads instead of the profile (see credentialItem).
      credential: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.credential(record.email),
          UpdateExpression: 'SET emailVerified = :yes',
          ConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':yes': true, ':userId': userId },
        },
      },
    });
    try {
      await transaction.write(this.db);
      await this.markSessionsVerified(userId);
      return 'verified';
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (!cancelled) throw error;
      if (cancelled.conditionFailed('profile') || cancelled.conditionFailed('credential')) return 'account-gone';
      // Lost to, or raced with, another click on the same link: what the record says now decides.
      const current = await this.getVerification(userId, tokenHash);
      if (!current) return 'token-unknown';
      if (current.usedAt !== undefined) return 'token-used';
      if (current.expiresAt <= now) return 'token-expired';
      throw error;
    }
  }

  /**
   * Refresh is one conditional write on the family and reads no profile, so
   * the `email_verified` claim of refreshed tokens rides on the family: every
   * family the user already has learns the news here. A family deleted
   * meanwhile is skipped (the condition), never written back.
   */
  private markSessionsVerified(userId: string): Promise<void> {
    return updateUserFamilies(this.db, this.tableName, itemKeys.userPartition(userId), {
      UpdateExpression: 'SET emailVerified = :yes',
      ExpressionAttributeValues: { ':yes': true },
    });
  }

  async claimFirstLink(userId: string, now: number): Promise<boolean> {
    try {
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKeys.profile(userId),
            UpdateExpression: 'SET verificationSentAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(verificationSentAt)',
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }
}
