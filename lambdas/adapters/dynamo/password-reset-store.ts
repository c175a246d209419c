import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import type { PasswordChange, PasswordChangeOutcome, PasswordResetStore } from '../../core/ports';
import { singleUseTokenKey } from './account-items';
import type { DynamoSingleUseTokenStore } from './single-use-token-store';
import { itemKeys } from './table-design';
import type { TransactItem } from './transaction';
import { batchDelete, sweepingTransaction, throttleDeletes, userPartition } from './user-partition';

/** The password change a reset link makes: the link spent, the password set, every session ended, in one transaction. */
export class DynamoPasswordResetStore implements PasswordResetStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly tokens: DynamoSingleUseTokenStore,
  ) {}

  async completePasswordReset(change: PasswordChange): Promise<PasswordChangeOutcome> {
    const { userId, tokenHash, now } = change;
    const items = await userPartition(this.db, this.tableName, userId);
    const resetSk = singleUseTokenKey('password-reset', userId, tokenHash).sk;
    // Other reset links die with the change; this one is kept, marked used, until its TTL so the page can say "already used".
    const dependents = items.filter((item) => (String(item.sk).startsWith('RESET#') && item.sk !== resetSk) || String(item.sk).startsWith('SESSION#'));
    const core = {
      link: this.tokens.spend('password-reset', userId, tokenHash, now),
      credential: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.credential(change.email),
          // The profile's emailVerifiedAt below, copied (see credentialItem).
          UpdateExpression: 'SET passwordHash = :hash, passwordUpdatedAt = :at, emailVerified = :verified REMOVE passwordSet',
          ConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':hash': change.passwordHash, ':at': new Date(now * 1000).toISOString(), ':userId': userId, ':verified': true },
        },
      },
      // The link reached this mailbox and was used: that proves the address as well as a verification link does.
      // Tokens issued and TV sign-ins approved before the change stop counting (see SessionCheck and the device redemption).
      // One Update: a transaction may touch the profile item only once.
      profile: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.profile(userId),
          UpdateExpression: 'SET emailVerifiedAt = if_not_exists(emailVerifiedAt, :at), sessionsNotBefore = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': new Date(now * 1000).toISOString(), ':now': now },
        },
      },
      ...throttleDeletes(this.tableName, change.throttleKeys),
    } satisfies Record<string, TransactItem>;
    // The caller has checked the token, so only its holder gets here: sessions beyond one transaction end first.
    const transaction = await sweepingTransaction(this.db, this.tableName, core, dependents);
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('link')) {
        // Refused by its condition: unknown, used, or (the only one left) expired.
        return (await this.tokens.refusal('password-reset', userId, tokenHash, now)) ?? 'token-expired';
      }
      if (cancelled?.conditionFailed('credential') || cancelled?.conditionFailed('profile')) return 'account-gone';
      if (cancelled?.conflicted) {
        // Usually a second confirm of the same link racing this one: if it won, this link is now used.
        if ((await this.tokens.refusal('password-reset', userId, tokenHash, now)) === 'token-used') return 'token-used';
        throw new ConflictError('The account changed while the password was being set; try again.', { cause: error });
      }
      throw error;
    }
    // A sign-in with the old password that raced the change may have started a family meanwhile: end it too.
    const late = await userPartition(this.db, this.tableName, userId, 'SESSION#');
    await batchDelete(
      this.db,
      this.tableName,
      late.filter((item) => typeof item.createdAt === 'number' && item.createdAt <= now),
    );
    return 'changed';
  }
}
