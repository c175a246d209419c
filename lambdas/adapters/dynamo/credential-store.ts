import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../../core/email';
import { AddressBannedError, EmailTakenError, NotFoundError } from '../../core/errors';
import type { Credential, CredentialStore, SessionFamily, UserProfile } from '../../core/ports';
import { credentialFromItem, credentialItem, profileFromItem, profileItem, sessionItem } from './account-items';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

/** Accounts and their password in the single table: registration, sign-in's read, the re-hash; and the profile for its readers. */
export class DynamoCredentialStore implements CredentialStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createAccount(credential: Credential, profile: UserProfile, firstSession: SessionFamily): Promise<void> {
    const transaction = namedTransaction({
      credential: {
        Put: {
          TableName: this.tableName,
          Item: credentialItem(credential, profile),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      profile: {
        Put: {
          TableName: this.tableName,
          Item: profileItem(profile),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      session: { Put: { TableName: this.tableName, Item: sessionItem(firstSession) } },
      // In the same transaction, so a burst of registrations cannot slip past a ban between a read and a write.
      ban: {
        ConditionCheck: {
          TableName: this.tableName,
          Key: itemKeys.emailTombstone(addressHash(credential.email)),
          ConditionExpression: 'attribute_not_exists(bannedAt)',
        },
      },
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('ban')) throw new AddressBannedError();
      if (cancelled?.conditionFailed('credential')) throw new EmailTakenError();
      // Two registrations racing on one email can also cancel each other with a conflict: one of them has the email.
      if (cancelled?.conflicted) throw new EmailTakenError();
      throw error;
    }
  }

  async getCredential(email: string): Promise<Credential | undefined> {
    const { Item } = await guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.credential(email), ConsistentRead: true })));
    return Item ? credentialFromItem(Item) : undefined;
  }

  async getProfile(userId: string): Promise<UserProfile | undefined> {
    const { Item } = await guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.profile(userId), ConsistentRead: true })));
    return Item ? profileFromItem(Item) : undefined;
  }

  async updatePasswordHash(email: string, userId: string, passwordHash: string): Promise<void> {
    try {
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKeys.credential(email),
            UpdateExpression: 'SET passwordHash = :hash, passwordUpdatedAt = :now',
            ConditionExpression: 'userId = :userId',
            ExpressionAttributeValues: { ':hash': passwordHash, ':now': new Date().toISOString(), ':userId': userId },
          }),
        ),
      );
    } catch (error) {
      if (isConditionalFailure(error)) throw new NotFoundError('The account no longer exists.');
      throw error;
    }
  }
}
