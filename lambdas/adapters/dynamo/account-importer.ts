import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../../core/email';
import { newId } from '../../core/random';
import type { UserProfile } from '../../core/ports';
import type { ImportedAccount } from '../../core/user-import';
import { credentialItem, profileFromItem, profileItem } from './account-items';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem } from './transaction';

export type ImportOutcome =
  | { outcome: 'imported'; userId: string }
  | { outcome: 'updated'; userId: string }
  | { outcome: 'exists' }
  | { outcome: 'failed'; reason: string };

export interface ImportWriteOptions {
  /** Replace the profile and hash of an email already present (keeping its user id) instead of reporting it. */
  update: boolean;
  /** Tries of a batch cancelled by throttling or a conflict before its accounts are reported as failed. */
  maxAttempts?: number;
  /** Called with the write capacity DynamoDB reports for each request. */
  onCapacity?: (units: number) => void;
}

const RETRYABLE_REASONS = new Set(['ThrottlingError', 'TransactionConflict', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Writes imported accounts into the single table with the same items as
 * registration (credential + profile, see account-items.ts), and reads them
 * back for export. Each account is two conditional puts in one transaction,
 * several accounts per transaction: an email already present cancels the
 * transaction with its reason, and the others are written again without it.
 */
export class DynamoAccountImporter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** At most 50 accounts (100 items, DynamoDB's transaction limit); no email twice in one call. */
  async importBatch(accounts: ImportedAccount[], options: ImportWriteOptions): Promise<ImportOutcome[]> {
    const outcomes: (ImportOutcome | undefined)[] = accounts.map(() => undefined);
    let pending = accounts.map((account, index) => ({ account, index, userId: newId() }));
    const maxAttempts = options.maxAttempts ?? 8;
    let throttled = 0;
    while (pending.length) {
      const transaction = namedTransaction(
        Object.fromEntries(
          pending.flatMap(({ account, index, userId }): [`${'credential' | 'profile'}#${number}`, TransactItem][] => [
            [
              `credential#${index}`,
              {
                Put: {
                  TableName: this.tableName,
                  Item: credentialItem(
                    { email: account.email, userId, ...(account.passwordHash ? { passwordHash: account.passwordHash } : {}) },
                    account.profile,
                  ),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
            [
              `profile#${index}`,
              { Put: { TableName: this.tableName, Item: profileItem({ id: userId, ...account.profile }), ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          ]),
        ) as Record<`${'credential' | 'profile'}#${number}`, TransactItem>,
      );
      try {
        const { ConsumedCapacity } = await transaction.send(this.db, { ReturnConsumedCapacity: 'TOTAL' });
        options.onCapacity?.(ConsumedCapacity?.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0) ?? 0);
        for (const { index, userId } of pending) outcomes[index] = { outcome: 'imported', userId };
        pending = [];
      } catch (thrown) {
        const cancelled = transaction.cancellation(thrown);
        // Retry and failure decisions, and the reason reported, read the SDK's own error.
        const error = cancelled?.cause ?? thrown;
        const codes = cancelled ? [...cancelled.reasons.values()].map((reason) => reason.code) : undefined;
        const taken = new Set(cancelled ? pending.filter(({ index }) => cancelled.conditionFailed(`credential#${index}`)).map(({ index }) => index) : []);
        if (taken.size) {
          // The cancellation names every email already present: report them, write the others again.
          for (const { index } of pending) if (taken.has(index)) outcomes[index] = { outcome: 'exists' };
          pending = pending.filter(({ index }) => !taken.has(index));
          continue;
        }
        if ((codes ? codes.some((code) => RETRYABLE_REASONS.has(code)) : isRetryable(error)) && throttled < maxAttempts) {
          throttled += 1;
          await sleep(Math.min(5000, 50 * 2 ** throttled) * (0.5 + Math.random()));
          continue;
        }
        if (pending.length > 1 && !(codes ?? []).some((code) => RETRYABLE_REASONS.has(code)) && !isRetryable(error)) {
          // One bad account (too large, say) must not fail its neighbours: write each alone.
          for (const { account, index } of pending) outcomes[index] = (await this.importBatch([account], { ...options, update: false }))[0];
          pending = [];
          continue;
        }
        const reason =
          throttled >= maxAttempts
            ? `still throttled after ${maxAttempts} retries`
            : error instanceof Error
              ? `${error.name}: ${error.message}`
              : String(error);
        for (const { index } of pending) outcomes[index] = { outcome: 'failed', reason };
        pending = [];
      }
    }

    if (options.update) {
      for (const [index, outcome] of outcomes.entries()) {
        if (outcome?.outcome === 'exists') outcomes[index] = await this.updateExisting(accounts[index], options);
      }
    }
    return outcomes.map((outcome) => outcome ?? { outcome: 'failed', reason: 'not written' });
  }

  /** Lazy migration: one account, unless the email is taken meanwhile; unavailability becomes StoreUnavailableError. */
  async createMigrated(passwordHash: string, profile: Omit<UserProfile, 'id'>): Promise<{ created: true; userId: string } | { created: false }> {
    const userId = newId();
    const transaction = namedTransaction({
      credential: {
        Put: {
          TableName: this.tableName,
          Item: credentialItem({ email: profile.email, userId, passwordHash }, profile),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      profile: { Put: { TableName: this.tableName, Item: profileItem({ id: userId, ...profile }), ConditionExpression: 'attribute_not_exists(pk)' } },
      // An account deleted here (by its user or an operator) stays deleted: the old system's password does not bring it back.
      deleted: {
        ConditionCheck: {
          TableName: this.tableName,
          Key: itemKeys.emailTombstone(addressHash(profile.email)),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    });
    try {
      await transaction.write(this.db);
      return { created: true, userId };
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('deleted')) return { created: false };
      if (cancelled && (cancelled.conditionFailed('credential') || cancelled.conflicted)) return { created: false };
      throw error;
    }
  }

  /** Which of these emails (at most 100) already have an account: for a dry run. */
  async existingEmails(emails: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    let keys: Record<string, unknown>[] | undefined = [...new Set(emails)].map((email) => itemKeys.credential(email));
    for (let attempt = 0; keys?.length && attempt < 10; attempt += 1) {
      if (attempt) await sleep(50 * 2 ** attempt * Math.random());
      const result: BatchGetCommandOutput = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: 'email' } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) found.add(item.email as string);
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    return found;
  }

  /** Every account, one page at a time: the profile and its stored hash. Memory holds one page. */
  async *accounts(pageSize = 500): AsyncGenerator<{ profile: UserProfile; passwordHash?: string }> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :profile',
          ExpressionAttributeValues: { ':profile': 'PROFILE' },
          Limit: pageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      const profiles = (page.Items ?? []).map(profileFromItem);
      const hashes = await this.passwordHashes(profiles.map((profile) => profile.email));
      for (const profile of profiles) yield { profile, passwordHash: hashes.get(profile.email) };
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  private async passwordHashes(emails: string[]): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    for (let start = 0; start < emails.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = emails.slice(start, start + 100).map((email) => itemKeys.credential(email));
      for (let attempt = 0; keys?.length; attempt += 1) {
        if (attempt) await sleep(Math.min(2000, 50 * 2 ** attempt) * Math.random());
        const result: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: 'email, passwordHash', ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) if (item.passwordHash) hashes.set(item.email as string, item.passwordHash as string);
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return hashes;
  }

  /** --update: the profile is replaced and the hash set (kept when the line has none), under the user id the email already has. */
  private async updateExisting(account: ImportedAccount, options: ImportWriteOptions): Promise<ImportOutcome> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.credential(account.email), ConsistentRead: true }));
    if (!Item) return { outcome: 'failed', reason: 'the account was deleted during the import' };
    const userId = Item.userId as string;
    // An import never enables anyone: a disabled account stays disabled whatever the line says (only an operator enables).
    const disabledAt = account.profile.disabledAt ?? (typeof Item.disabledAt === 'string' ? Item.disabledAt : undefined);
    const profile = { ...account.profile, ...(disabledAt ? { disabledAt } : {}) };
    const transaction = namedTransaction({
      credential: {
        Put: {
          TableName: this.tableName,
          Item: credentialItem(
            {
              email: account.email,
              userId,
              ...((account.passwordHash ?? Item.passwordHash) ? { passwordHash: account.passwordHash ?? Item.passwordHash } : {}),
              // An import never removes a second factor: the count that makes a sign-in ask for a code stays as it is.
              ...(typeof Item.factorCount === 'number' ? { factorCount: Item.factorCount } : {}),
            },
            profile,
          ),
          // Unchanged since the read (a factor enrolled meanwhile fails this line, to be run again).
          ConditionExpression:
            typeof Item.factorCount === 'number' ? 'userId = :userId AND factorCount = :factorCount' : 'userId = :userId AND attribute_not_exists(factorCount)',
          ExpressionAttributeValues: { ':userId': userId, ...(typeof Item.factorCount === 'number' ? { ':factorCount': Item.factorCount } : {}) },
        },
      },
      profile: { Put: { TableName: this.tableName, Item: profileItem({ id: userId, ...profile }) } },
    });
    try {
      const { ConsumedCapacity } = await transaction.send(this.db, { ReturnConsumedCapacity: 'TOTAL' });
      options.onCapacity?.(ConsumedCapacity?.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0) ?? 0);
      return { outcome: 'updated', userId };
    } catch (thrown) {
      const error = transaction.cancellation(thrown)?.cause ?? thrown;
      return { outcome: 'failed', reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return [
    'ThrottlingException',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'InternalServerError',
    'TimeoutError',
    'TransactionInProgressException',
  ].includes(error.name);
}
