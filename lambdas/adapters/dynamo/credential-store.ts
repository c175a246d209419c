import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../../core/email';
import { AddressBannedError, EmailTakenError, NotFoundError } from '../../core/errors';
import type { Credential, CredentialStore, SessionFamily, UserProfile } from '../../core/ports';
import { credentialFromItem, credentialItem, profileFromItem, profileItem, sessionItem } from './account-items';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem, type TransactionCancelledError } from './transaction';

/** The items of a new account: the email claimed, the profile, the first session, and the address's ban checked, all in one transaction. */
export function newAccountItems(tableName: string, credential: Credential, profile: UserProfile, firstSession: SessionFamily) {
  return {
    credential: {
      Put: {
        TableName: tableName,
        Item: credentialItem(credential, profile),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    } as TransactItem,
    profile: {
      Put: {
        TableName: tableName,
        Item: profileItem(profile),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    } as TransactItem,
    session: { Put: { TableName: tableName, Item: sessionItem(firstSession) } } as TransactItem,
    // In the same transaction, so a burst of registrations cannot slip past a ban between a read and a write.
    ban: {
      ConditionCheck: {
        TableName: tableName,
        Key: itemKeys.emailTombstone(addressHash(credential.email)),
        ConditionExpression: 'attribute_not_exists(bannedAt)',
      },
    } as TransactItem,
  };
}

/** Writes a new account's items (with any `extra` of the same transaction); EmailTakenError, AddressBannedError, or the cancellation for the caller's own items. */
export async function writeNewAccount<Extra extends string>(
  db: DynamoDBDocumentClient,
  items: ReturnType<typeof newAccountItems>,
  extra?: { [name in Extra]: TransactItem },
  refusal?: (cancelled: TransactionCancelledError<string>) => Error | undefined,
): Promise<void> {
  const transaction = namedTransaction<string>({ ...items, ...extra });
  try {
    await transaction.write(db);
  } catch (error) {
    const cancelled = transaction.cancellation(error);
    const own = cancelled && refusal?.(cancelled);
    if (own) throw own;
    if (cancelled?.conditionFailed('ban')) throw new AddressBannedError();
    if (cancelled?.conditionFailed('credential')) throw new EmailTakenError();
    // Two registrations racing on one email can also cancel each other with a conflict: one of them has the email.
    if (cancelled?.conflicted) throw new EmailTakenError();
    throw error;
  }
}

/** Accounts and their password in the single table: registration, sign-in's read, the re-hash; and the profile for its readers. */
export class DynamoCredentialStore implements CredentialStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createAccount(credential: Credential, profile: UserProfile, firstSession: SessionFamily): Promise<void> {
    await writeNewAccount(this.db, newAccountItems(this.tableName, credential, profile, firstSession));
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
            // A password written by the person (reset, change, migration): the account now has one they know.
            UpdateExpression: 'SET passwordHash = :hash, passwordUpdatedAt = :now REMOVE passwordSet',
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
