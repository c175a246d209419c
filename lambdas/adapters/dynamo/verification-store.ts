import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailVerificationStore, VerificationOutcome } from '../../core/email-verification';
import { updateIf, updateUserFamilies } from './client';
import type { DynamoSingleUseTokenStore } from './single-use-token-store';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

/**
 * Verification links live in the single-use token store (the user's
 * partition: they die with the account); the verified mark lives on the
 * profile. Spending a link and marking the profile is one transaction.
 */
export class DynamoVerificationStore implements EmailVerificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly tokens: DynamoSingleUseTokenStore,
  ) {}

  async completeVerification(userId: string, tokenHash: string, now: number): Promise<VerificationOutcome> {
    const record = await this.tokens.get('email-verification', userId, tokenHash);
    // Every verification link names its address; a record without one is not a verification link.
    if (!record?.email) return 'token-unknown';
    const transaction = namedTransaction({
      link: this.tokens.spend('email-verification', userId, tokenHash, now),
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
      const refusal = await this.tokens.refusal('email-verification', userId, tokenHash, now);
      if (refusal) return refusal;
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

  claimFirstLink(userId: string, now: number): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.tableName,
      Key: itemKeys.profile(userId),
      UpdateExpression: 'SET verificationSentAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(verificationSentAt)',
      ExpressionAttributeValues: { ':now': now },
    });
  }
}
