import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { FormRejectedError, NotFoundError, StoreUnavailableError } from '../../core/errors';
import type { CredentialGuard, RotationAttempt, RotationRequest, SessionFamily, SessionStanding, SessionStore, ThrottleRelease } from '../../core/ports';
import { profileFromItem, sessionFromItem, sessionItem } from './account-items';
import { guarded, isConditionalFailure, updateIf } from './client';
import { itemKeys } from './table-design';
import { DynamoThrottleStore, releaseItems } from './throttle-store';
import { namedTransaction, type TransactItem } from './transaction';
import { batchDelete, userPartition } from './user-partition';

/** Refresh-token families in the user's partition, and the session standing every request acting for the user reads. */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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
    return (await userPartition(this.db, this.tableName, userId, 'SESSION#')).map(sessionFromItem);
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

  async revokeSession(userId: string, familyId: string): Promise<void> {
    await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.session(userId, familyId) })));
  }

  async revokeAllSessions(userId: string): Promise<void> {
    const items = await userPartition(this.db, this.tableName, userId, 'SESSION#');
    await batchDelete(this.db, this.tableName, items);
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
    const moved = await updateIf(this.db, {
      TableName: this.tableName,
      Key: itemKeys.profile(userId),
      // Never moves back: a slower, older sign-out cannot reopen what a newer one closed.
      UpdateExpression: 'SET sessionsNotBefore = :now',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(sessionsNotBefore) OR sessionsNotBefore < :now)',
      ExpressionAttributeValues: { ':now': now },
    });
    if (!moved && !(await this.profileExists(userId))) return false;
    await this.revokeAllSessions(userId);
    return true;
  }

  private async profileExists(userId: string): Promise<boolean> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.profile(userId), ConsistentRead: true, ProjectionExpression: 'pk' })),
    );
    return !!Item;
  }
}
