import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../../core/email';
import type { UserProfile } from '../../core/ports';
import { newId } from '../../core/random';
import { PARTNER_IDENTITY_ATTRIBUTES, type PartnerClaim, partnerClaims } from '../../core/sso/partner-identities';
import { IMPORTED_PROFILE_KEYS, type ImportedAccount } from '../../core/user-import';
import { credentialItem, profileFromItem, profileItem } from './account-items';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem } from './transaction';

const DELETED_HERE = 'the address belongs to an account deleted or banned here: an import never brings it back';
const claimedElsewhere = (claim: PartnerClaim) =>
  `another account already holds the ${claim.partner} ${claim.kind} ${claim.value}: a partner identity belongs to one account only`;

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

  /** At most 16 accounts (up to 6 items each within DynamoDB's 100 per transaction); no email twice in one call. */
  async importBatch(accounts: ImportedAccount[], options: ImportWriteOptions): Promise<ImportOutcome[]> {
    const outcomes: (ImportOutcome | undefined)[] = accounts.map(() => undefined);
    let pending = accounts.map((account, index) => ({ account, index, userId: newId() }));
    const maxAttempts = options.maxAttempts ?? 8;
    let throttled = 0;
    while (pending.length) {
      const transaction = namedTransaction(Object.fromEntries(pending.flatMap(({ account, index, userId }) => this.accountItems(account, index, userId))));
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
        const refusals = new Map<number, ImportOutcome>();
        if (cancelled) {
          for (const { account, index } of pending) {
            if (cancelled.conditionFailed(`credential#${index}`)) refusals.set(index, { outcome: 'exists' });
            else if (cancelled.conditionFailed(`deleted#${index}`)) refusals.set(index, { outcome: 'failed', reason: DELETED_HERE });
            else {
              const taken = partnerClaims(account.profile.attributes).find((_claim, claim) => cancelled.conditionFailed(`claim#${index}#${claim}`));
              if (taken) refusals.set(index, { outcome: 'failed', reason: claimedElsewhere(taken) });
            }
          }
        }
        if (refusals.size) {
          // The cancellation names every account refused: report them, write the others again.
          for (const [index, outcome] of refusals) outcomes[index] = outcome;
          pending = pending.filter(({ index }) => !refusals.has(index));
          continue;
        }
        if ((codes ? codes.some((code) => RETRYABLE_REASONS.has(code)) : isRetryable(error)) && throttled < maxAttempts) {
          throttled += 1;
          await sleep(Math.min(5000, 50 * 2 ** throttled) * (0.5 + Math.random()));
          continue;
        }
        if (pending.length > 1 && !(codes ?? []).some((code) => RETRYABLE_REASONS.has(code)) && !isRetryable(error)) {
          // One bad account (too large, say, or two lines naming one partner identity) must not fail its neighbours: write each alone, in file order.
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

  /**
   * One account's items, as registration writes them: the credential and the profile (both new), a check that the
   * address was never deleted or banned here (an account deleted here stays deleted), and one claim per partner
   * identity it names (a partner identity belongs to one account: a claim held by another refuses the account).
   */
  private accountItems(account: ImportedAccount, index: number, userId: string): [string, TransactItem][] {
    return [
      [
        `credential#${index}`,
        {
          Put: {
            TableName: this.tableName,
            Item: credentialItem({ email: account.email, userId, ...(account.passwordHash ? { passwordHash: account.passwordHash } : {}) }, account.profile),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      [
        `profile#${index}`,
        { Put: { TableName: this.tableName, Item: profileItem({ id: userId, ...account.profile }), ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
      [
        `deleted#${index}`,
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: itemKeys.emailTombstone(addressHash(account.email)),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      ...partnerClaims(account.profile.attributes).map((claim, position): [string, TransactItem] => [
        `claim#${index}#${position}`,
        {
          Put: {
            TableName: this.tableName,
            Item: { ...itemKeys.partnerClaim(claim.partner, claim.kind, claim.value), type: 'partner-claim', ...claim, userId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]),
    ];
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

  /**
   * --update: the fields of the import format are replaced and the hash set (kept when the line has none), under the
   * user id the email already has. What the import format does not carry stays: sessions' cut-off, verification
   * bookkeeping, and the partner identities (an operator sets those in the console, where each is claimed and audited).
   */
  private async updateExisting(account: ImportedAccount, options: ImportWriteOptions): Promise<ImportOutcome> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.credential(account.email), ConsistentRead: true }));
    if (!Item) return { outcome: 'failed', reason: 'the account was deleted during the import' };
    const userId = Item.userId as string;
    const { Item: stored } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.profile(userId), ConsistentRead: true }));
    if (!stored) return { outcome: 'failed', reason: 'the account was deleted during the import' };
    // An import never enables anyone: a disabled account stays disabled whatever the line says (only an operator enables).
    const disabledAt = account.profile.disabledAt ?? (typeof Item.disabledAt === 'string' ? Item.disabledAt : undefined);
    const profile = updatedProfile(profileFromItem(stored) as unknown as Record<string, unknown>, {
      ...account.profile,
      ...(disabledAt ? { disabledAt } : {}),
    });
    const partnersVersion = typeof stored.partnersVersion === 'number' ? stored.partnersVersion : 0;
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
            profile as unknown as Omit<UserProfile, 'id'>,
          ),
          // Unchanged since the read (a factor enrolled meanwhile fails this line, to be run again).
          ConditionExpression:
            typeof Item.factorCount === 'number' ? 'userId = :userId AND factorCount = :factorCount' : 'userId = :userId AND attribute_not_exists(factorCount)',
          ExpressionAttributeValues: { ':userId': userId, ...(typeof Item.factorCount === 'number' ? { ':factorCount': Item.factorCount } : {}) },
        },
      },
      profile: {
        Put: {
          TableName: this.tableName,
          Item: profileItem({ ...(profile as unknown as UserProfile), id: userId }),
          // The partner identities copied from the read must still be the ones held (a console change meanwhile fails this line).
          ConditionExpression: 'attribute_exists(pk) AND (partnersVersion = :version OR (attribute_not_exists(partnersVersion) AND :version = :zero))',
          ExpressionAttributeValues: { ':version': partnersVersion, ':zero': 0 },
        },
      },
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

/**
 * The stored profile with the import format's fields replaced by the line's (a field the line leaves out is removed),
 * everything else kept, and the stored partner identities kept whatever the line's `attributes` say.
 */
function updatedProfile(stored: Record<string, unknown>, imported: Omit<UserProfile, 'id'>): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(stored).filter(([key]) => !IMPORTED_PROFILE_KEYS.includes(key as (typeof IMPORTED_PROFILE_KEYS)[number])));
  const storedAttributes = (stored.attributes ?? {}) as Record<string, unknown>;
  const attributes = {
    ...Object.fromEntries(Object.entries(imported.attributes ?? {}).filter(([key]) => !PARTNER_IDENTITY_ATTRIBUTES.includes(key))),
    ...Object.fromEntries(Object.entries(storedAttributes).filter(([key]) => PARTNER_IDENTITY_ATTRIBUTES.includes(key))),
  };
  const { attributes: _imported, ...fields } = imported;
  return { ...kept, ...fields, ...(Object.keys(attributes).length ? { attributes } : {}) };
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
