import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditRecord } from '../../core/admin/ports';
import { addressHash } from '../../core/email';
import { AddressBannedError, ConflictError, EmailTakenError, FormRejectedError, NotFoundError, StoreUnavailableError } from '../../core/errors';
import type {
  AccountDeletion,
  AccountStore,
  Credential,
  CredentialGuard,
  PasswordChange,
  PasswordChangeOutcome,
  PasswordResetRecord,
  RotationAttempt,
  RotationRequest,
  SessionFamily,
  SessionStanding,
  StoredPasswordReset,
  ThrottleRelease,
  UserProfile,
} from '../../core/ports';
import { partnerClaims } from '../../core/sso/partner-identities';
import { credentialItem, profileFromItem, profileItem, sessionFromItem, sessionItem } from './account-items';
import { auditPuts } from './audit-store';
import { guarded, isConditionalFailure, queryPartition } from './client';
import { itemKeys } from './table-design';
import { DynamoThrottleStore, releaseItems } from './throttle-store';
import { namedTransaction, type TransactItem, type TransactionCancelledError } from './transaction';

/** DynamoDB allows 100 items per transaction. */
const TRANSACTION_LIMIT = 100;

/** Deletes of throttle counters, named `throttle#<n>`. */
function throttleDeletes(tableName: string, keys: string[]): Record<`throttle#${number}`, TransactItem> {
  return Object.fromEntries(keys.map((key, index) => [`throttle#${index}`, { Delete: { TableName: tableName, Key: itemKeys.throttle(key) } }]));
}

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

/** Users, their credentials, sessions and reset tokens in the single table. */
export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createAccount(credential: Credential, profile: UserProfile, firstSession: SessionFamily): Promise<void> {
    await writeNewAccount(this.db, newAccountItems(this.tableName, credential, profile, firstSession));
  }

  async getCredential(email: string): Promise<Credential | undefined> {
    const { Item } = await guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.credential(email), ConsistentRead: true })));
    return Item
      ? {
          email: Item.email,
          userId: Item.userId,
          passwordHash: Item.passwordHash,
          ...(typeof Item.disabledAt === 'string' ? { disabledAt: Item.disabledAt } : {}),
          ...(typeof Item.emailVerified === 'boolean' ? { emailVerified: Item.emailVerified } : {}),
          ...(typeof Item.factorCount === 'number' ? { factorCount: Item.factorCount } : {}),
        }
      : undefined;
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

  async deleteAccount(userId: string, throttleKeys: (email: string) => string[], audit?: AuditRecord): Promise<AccountDeletion> {
    const items = await this.userPartition(userId);
    const profile = items.find((item) => item.sk === 'PROFILE');
    const dependents = items.filter((item) => item.sk !== 'PROFILE');
    if (!profile) {
      // Already deleted (or a half-finished earlier delete): remove whatever is left.
      await this.batchDelete(dependents);
      return {};
    }
    const email = profile.email as string;
    const disabledAt = typeof profile.disabledAt === 'string' ? profile.disabledAt : undefined;
    const deletedAt = new Date().toISOString();
    const core = {
      profile: {
        Delete: {
          TableName: this.tableName,
          Key: itemKeys.profile(userId),
          // The ban below is decided on the profile read above: a disable or enable landing meanwhile cancels this, and a retry decides again.
          ...(disabledAt
            ? { ConditionExpression: 'disabledAt = :disabledAt', ExpressionAttributeValues: { ':disabledAt': disabledAt } }
            : { ConditionExpression: 'attribute_not_exists(disabledAt)' }),
        },
      } as TransactItem,
      // Outlives the account: lazy migration never brings a deleted account back, and a disabled one's ban stands.
      tombstone: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.emailTombstone(addressHash(email)),
          UpdateExpression: `SET #type = :type, deletedAt = :deletedAt, userId = :userId${disabledAt ? ', bannedAt = :bannedAt' : ''}`,
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'email-tombstone',
            ':deletedAt': deletedAt,
            ':userId': userId,
            ...(disabledAt ? { ':bannedAt': disabledAt } : {}),
          },
        },
      } as TransactItem,
      credential: {
        Delete: {
          TableName: this.tableName,
          Key: itemKeys.credential(email),
          ConditionExpression: 'attribute_not_exists(pk) OR userId = :userId',
          ExpressionAttributeValues: { ':userId': userId },
        },
      } as TransactItem,
      ...throttleDeletes(this.tableName, throttleKeys(email)),
      ...this.claimReleases(userId, profile.attributes as Record<string, unknown> | undefined),
      ...(audit ? auditPuts(this.tableName, audit) : { auditByUser: undefined, auditByActor: undefined, auditAll: undefined }),
      teamMember: undefined as TransactItem | undefined,
      team: undefined as TransactItem | undefined,
      teamCleanup: undefined as TransactItem | undefined,
    };
    // A portal member leaves its team with the account: the member entry goes and the team's count drops.
    const teamId = items.find((item) => item.sk === 'PORTAL')?.teamId as string | undefined;
    let emptiedTeamId: string | undefined;
    if (teamId) {
      const { Item: team } = await guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.team(teamId), ConsistentRead: true })));
      core.teamMember = { Delete: { TableName: this.tableName, Key: itemKeys.teamMember(teamId, userId) } };
      if (team) {
        const last = (team.memberCount as number) <= 1;
        core.team = {
          Update: {
            TableName: this.tableName,
            Key: itemKeys.team(teamId),
            UpdateExpression: 'ADD memberCount :minus',
            // "Last member" is decided on the count read above: a join landing meanwhile cancels this, and a retry decides again.
            ConditionExpression: last ? 'attribute_exists(pk) AND memberCount <= :one' : 'attribute_exists(pk) AND memberCount > :one',
            ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
          },
        };
        if (last) {
          // Durable before anything is tried at Auth0: the scheduled clean-up finishes what this request cannot.
          core.teamCleanup = {
            Put: {
              TableName: this.tableName,
              Item: { ...itemKeys.teamCleanup(teamId), type: 'team-cleanup', teamId, createdAt: Math.floor(Date.now() / 1000), attempts: 0 },
            },
          };
          emptiedTeamId = teamId;
        }
      }
    }
    // Sessions beyond what one transaction holds go first: if that fails the account is intact and a retry finishes.
    const room = TRANSACTION_LIMIT - Object.values(core).filter(Boolean).length;
    await this.batchDelete(dependents.slice(room));
    const transaction = namedTransaction({ ...core, ...this.dependentDeletes(dependents.slice(0, room)) });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled && (cancelled.conflicted || cancelled.failedConditions.length)) {
        throw new ConflictError('The account changed while it was being deleted; try again.', { cause: error });
      }
      throw error;
    }
    // A sign-in that committed between the partition read and the transaction left a family the transaction did not
    // name; refresh no longer checks the profile, so end it here (later sign-ins fail their profile check).
    await this.batchDelete(await this.userPartition(userId, 'SESSION#'));
    return emptiedTeamId ? { emptiedTeamId } : {};
  }

  /**
   * One transaction: the family, the profile's existence, the credential's
   * hash (the guard), and the sign-in's throttle release (see releaseItems).
   * Only a transaction conflict (another request changing the profile, the
   * credential or a counter at that moment) is retried: once as it was, then
   * without the release, which then goes as single writes.
   */
  async startSession(family: SessionFamily, credentialGuard?: CredentialGuard, release?: ThrottleRelease): Promise<void> {
    const passes = release ? ['with release', 'with release', 'alone'] : ['alone', 'alone'];
    for (const [pass, shape] of passes.entries()) {
      const transaction = this.sessionTransaction(family, credentialGuard, shape === 'with release' ? release : undefined);
      try {
        await transaction.write(this.db);
        if (release && shape === 'alone') await new DynamoThrottleStore(this.db, this.tableName).release(release);
        return;
      } catch (error) {
        const cancelled = transaction.cancellation(error);
        if (cancelled?.conditionFailed('profile')) throw new NotFoundError('The account no longer exists.');
        // The password changed between verification and now: the old password no longer signs in.
        if (cancelled?.conditionFailed('credential'))
          throw new FormRejectedError('invalid_credentials', 'The email or password is incorrect.', { email: true, password: true });
        if (!cancelled?.conflicted) throw error;
        if (pass === passes.length - 1) throw new StoreUnavailableError({ cause: error });
        await new Promise((resume) => setTimeout(resume, 10 * (pass + 1) * (0.5 + Math.random())));
      }
    }
  }

  private sessionTransaction(family: SessionFamily, guard: CredentialGuard | undefined, release: ThrottleRelease | undefined) {
    const credential = (guard: CredentialGuard): TransactItem => {
      const condition = {
        TableName: this.tableName,
        Key: itemKeys.credential(guard.email),
        ConditionExpression: 'userId = :userId AND passwordHash = :hash AND attribute_not_exists(disabledAt)',
      };
      const values = { ':userId': family.userId, ':hash': guard.passwordHash };
      // A credential older than its verified copy gets it here, with no request of its own; a newer value (a link confirmed meanwhile) stays.
      return guard.fillEmailVerified === undefined
        ? { ConditionCheck: { ...condition, ExpressionAttributeValues: values } }
        : {
            Update: {
              ...condition,
              UpdateExpression: 'SET emailVerified = if_not_exists(emailVerified, :verified)',
              ExpressionAttributeValues: { ...values, ':verified': guard.fillEmailVerified },
            },
          };
    };
    return namedTransaction({
      session: { Put: { TableName: this.tableName, Item: sessionItem(family), ConditionExpression: 'attribute_not_exists(pk)' } },
      profile: { ConditionCheck: { TableName: this.tableName, Key: itemKeys.profile(family.userId), ConditionExpression: 'attribute_exists(pk)' } },
      credential: guard ? credential(guard) : undefined,
      ...(release ? releaseItems(this.tableName, release) : {}),
    });
  }

  async getSession(userId: string, familyId: string): Promise<SessionFamily | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.session(userId, familyId), ConsistentRead: true })),
    );
    return Item ? sessionFromItem(Item) : undefined;
  }

  async listSessions(userId: string): Promise<SessionFamily[]> {
    return (await this.userPartition(userId, 'SESSION#')).map(sessionFromItem);
  }

  /**
   * One UpdateItem, no transaction and no read: 1 write unit while the item
   * stays under 1 KB (it holds two hashes, not a list). The condition needs
   * the item to exist, so a family deleted by a password reset or an account
   * deletion cannot be written back. A refused write returns the old item
   * (ReturnValuesOnConditionCheckFailure), which is all the caller needs to
   * tell a retry, a reuse and an expired or unknown token apart.
   */
  async rotateSession(request: RotationRequest): Promise<RotationAttempt> {
    try {
      const { Attributes } = await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKeys.session(request.userId, request.familyId),
            UpdateExpression:
              'SET currentHash = :next, previousHash = :presented, rotatedAt = :now, lastUsedAt = :now, expiresAt = :expiresAt REMOVE rotatedHashes',
            ConditionExpression:
              // disabledAt: set on every family of a disabled account (the admin store), so no profile read rides along.
              'currentHash = :presented AND absoluteExpiresAt > :now AND lastUsedAt > :idleCutoff AND attribute_not_exists(disabledAt)' +
              (request.clientId ? ' AND (attribute_not_exists(clientId) OR clientId = :clientId)' : ''),
            ExpressionAttributeValues: {
              ':next': request.nextHash,
              ':presented': request.presentedHash,
              ':now': request.now,
              ':idleCutoff': request.idleCutoff,
              ':expiresAt': request.expiresAt,
              ...(request.clientId ? { ':clientId': request.clientId } : {}),
            },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return {
        rotated: true,
        ...(Attributes?.clientId ? { clientId: Attributes.clientId as string } : {}),
        ...(typeof Attributes?.emailVerified === 'boolean' ? { emailVerified: Attributes.emailVerified } : {}),
        ...(Array.isArray(Attributes?.amr) ? { amr: Attributes.amr as string[] } : {}),
        ...(typeof Attributes?.authTime === 'number' ? { authTime: Attributes.authTime } : {}),
      };
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      // lib-dynamodb leaves the returned item as raw attribute values.
      const raw = (error as { Item?: Record<string, AttributeValue> }).Item;
      return { rotated: false, ...(raw ? { family: sessionFromItem(unmarshall(raw)) } : {}) };
    }
  }

  /** The account's partner-identity claims, released with it (only its own: a claim another account holds stays). */
  private claimReleases(userId: string, attributes: Record<string, unknown> | undefined): Record<`partnerClaim#${number}`, TransactItem> {
    return Object.fromEntries(
      partnerClaims(attributes).map((claim, index) => [
        `partnerClaim#${index}`,
        {
          Delete: {
            TableName: this.tableName,
            Key: itemKeys.partnerClaim(claim.partner, claim.kind, claim.value),
            ConditionExpression: 'attribute_not_exists(pk) OR userId = :userId',
            ExpressionAttributeValues: { ':userId': userId },
          },
        },
      ]),
    );
  }

  async revokeSession(userId: string, familyId: string): Promise<void> {
    await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.session(userId, familyId) })));
  }

  async revokeAllSessions(userId: string): Promise<void> {
    const items = await this.userPartition(userId, 'SESSION#');
    await this.batchDelete(items);
  }

  async sessionStanding(userId: string, familyId: string): Promise<SessionStanding> {
    const read = (Key: Record<string, string>, ProjectionExpression?: string) =>
      guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true, ProjectionExpression })));
    // The whole profile (one item, the same read capacity as a projection of it): the caller acts on it without reading it again.
    const [family, profile] = await Promise.all([
      read(itemKeys.session(userId, familyId), 'pk, expiresAt, absoluteExpiresAt, amr, factorUsedAt'),
      read(itemKeys.profile(userId)),
    ]);
    // TTL deletes lazily: a family past its end is gone even while its item lingers (the item's TTL may outlive the absolute end).
    const now = Math.floor(Date.now() / 1000);
    const ended = (value: unknown) => typeof value === 'number' && value <= now;
    const live = !!family.Item && !ended(family.Item.expiresAt) && !ended(family.Item.absoluteExpiresAt);
    return {
      sessionExists: live,
      profileExists: !!profile.Item,
      ...(profile.Item ? { profile: profileFromItem(profile.Item) } : {}),
      ...(typeof profile.Item?.sessionsNotBefore === 'number' ? { sessionsNotBefore: profile.Item.sessionsNotBefore } : {}),
      ...(typeof profile.Item?.disabledAt === 'string' ? { disabled: true } : {}),
      ...(live && Array.isArray(family.Item?.amr) ? { amr: family.Item.amr as string[] } : {}),
      ...(live && typeof family.Item?.factorUsedAt === 'number' ? { factorUsedAt: family.Item.factorUsedAt } : {}),
    };
  }

  async signOutEverywhere(userId: string, now: number): Promise<boolean> {
    try {
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKeys.profile(userId),
            // Never moves back: a slower, older sign-out cannot reopen what a newer one closed.
            UpdateExpression: 'SET sessionsNotBefore = :now',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(sessionsNotBefore) OR sessionsNotBefore < :now)',
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      if (!(await this.getProfile(userId))) return false;
    }
    await this.revokeAllSessions(userId);
    return true;
  }

  async savePasswordReset(record: PasswordResetRecord): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.reset(record.userId, record.tokenHash), type: 'reset', ...record },
        }),
      ),
    );
  }

  private userPartition(userId: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
    return queryPartition(this.db, this.tableName, itemKeys.userPartition(userId), skPrefix);
  }

  /** Deletes of a user's dependent items (sessions, reset links) inside a transaction, named `dependent#<n>`. */
  private dependentDeletes(items: Record<string, unknown>[]): Record<`dependent#${number}`, TransactItem> {
    return Object.fromEntries(items.map((item, index) => [`dependent#${index}`, { Delete: { TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } } }]));
  }

  private async batchDelete(items: Record<string, unknown>[]): Promise<void> {
    for (let index = 0; index < items.length; index += 25) {
      let requests: Record<string, unknown>[] = items.slice(index, index + 25).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      for (let attempt = 0; requests.length && attempt < 5; attempt += 1) {
        const result = await guarded(() => this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as Record<string, unknown>[];
        if (requests.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
      if (requests.length) throw new ConflictError('Could not finish deleting the account; try again.');
    }
  }

  async getPasswordReset(userId: string, tokenHash: string): Promise<StoredPasswordReset | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.reset(userId, tokenHash), ConsistentRead: true })),
    );
    if (!Item) return undefined;
    return {
      userId: Item.userId,
      tokenHash: Item.tokenHash,
      createdAt: Item.createdAt,
      expiresAt: Item.expiresAt,
      ...(typeof Item.usedAt === 'number' ? { usedAt: Item.usedAt } : {}),
    };
  }

  async completePasswordReset(change: PasswordChange): Promise<PasswordChangeOutcome> {
    const { userId, tokenHash, now } = change;
    const items = await this.userPartition(userId);
    const resetSk = itemKeys.reset(userId, tokenHash).sk;
    // Other reset links die with the change; this one is kept, marked used, until its TTL so the page can say "already used".
    const dependents = items.filter((item) => (String(item.sk).startsWith('RESET#') && item.sk !== resetSk) || String(item.sk).startsWith('SESSION#'));
    const core = {
      link: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.reset(userId, tokenHash),
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': now },
        },
      },
      credential: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.credential(change.email),
          // The profile's emailVerifiedAt below, copied (see credentialItem).
          UpdateExpression: 'SET passwordHash = :hash, passwordUpdatedAt = :at, emailVerified = :verified',
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
    const room = TRANSACTION_LIMIT - Object.keys(core).length;
    await this.batchDelete(dependents.slice(room));
    const transaction = namedTransaction({ ...core, ...this.dependentDeletes(dependents.slice(0, room)) });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('link')) {
        const record = await this.getPasswordReset(userId, tokenHash);
        if (!record) return 'token-unknown';
        return record.usedAt !== undefined ? 'token-used' : 'token-expired';
      }
      if (cancelled?.conditionFailed('credential') || cancelled?.conditionFailed('profile')) return 'account-gone';
      if (cancelled?.conflicted) {
        // Usually a second confirm of the same link racing this one: if it won, this link is now used.
        if ((await this.getPasswordReset(userId, tokenHash))?.usedAt !== undefined) return 'token-used';
        throw new ConflictError('The account changed while the password was being set; try again.', { cause: error });
      }
      throw error;
    }
    // A sign-in with the old password that raced the change may have started a family meanwhile: end it too.
    const late = await this.userPartition(userId, 'SESSION#');
    await this.batchDelete(late.filter((item) => typeof item.createdAt === 'number' && item.createdAt <= now));
    return 'changed';
  }
}
