import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AdminUserStore, AuditRecord, PartnerIdentities, UserRecord } from '../../core/admin/ports';
import { ConflictError, NotFoundError } from '../../core/errors';
import type { DeviceGrant } from '../../core/oauth/ports';
import { SSO_PARTNERS } from '../../core/partners';
import type { SessionFamily } from '../../core/ports';
import { type PartnerClaim, partnerClaims } from '../../core/sso/partner-identities';
import { sessionFromItem } from './account-items';
import { auditPuts } from './audit-store';
import { guarded, isConditionalFailure, queryPartition, updateUserFamilies } from './client';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem } from './transaction';

type Item = Record<string, unknown>;

const stringList = (value: unknown): string[] =>
  (value instanceof Set ? [...value] : Array.isArray(value) ? value : []).filter((item): item is string => typeof item === 'string');

/** A session without its token hashes: they never reach the console. */
function sessionOf(item: Item): SessionFamily {
  const { previousHash: _previous, ...family } = sessionFromItem(item);
  return { ...family, currentHash: '', rotatedHashes: [] };
}

/**
 * The console's reads and writes of a user's items in the single table. Hashes
 * (session tokens, reset tokens, device codes, the password) are dropped here
 * and never reach the core. A user's whole partition is one query.
 */
export class DynamoAdminStore implements AdminUserStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  private get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    return guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).then((result) => result.Item);
  }

  private partition(userId: string, skPrefix?: string): Promise<Item[]> {
    return queryPartition(this.db, this.tableName, itemKeys.userPartition(userId), skPrefix) as Promise<Item[]>;
  }

  async read(userId: string): Promise<UserRecord | undefined> {
    const items = await this.partition(userId);
    const profileItem = items.find((item) => item.sk === 'PROFILE');
    if (!profileItem) return undefined;
    const { pk: _pk, sk: _sk, type: _type, ...profile } = profileItem;
    const now = this.nowSeconds();
    const of = (prefix: string) => items.filter((item) => String(item.sk).startsWith(prefix));
    const credentialItem = typeof profile.email === 'string' ? await this.get(itemKeys.credential(profile.email)) : undefined;
    const grants = await Promise.all(of('DEVICE#').map((pointer) => this.get(itemKeys.device(String(pointer.userCode)))));
    const portal = items.find((item) => item.sk === 'PORTAL');
    return {
      profile: profile as unknown as UserRecord['profile'],
      ...(credentialItem && credentialItem.userId === userId
        ? {
            credential: {
              email: credentialItem.email as string,
              userId,
              ...(typeof credentialItem.disabledAt === 'string' ? { disabledAt: credentialItem.disabledAt } : {}),
              ...(typeof credentialItem.passwordUpdatedAt === 'string' ? { passwordUpdatedAt: credentialItem.passwordUpdatedAt } : {}),
            },
          }
        : {}),
      sessions: of('SESSION#')
        .filter((item) => typeof item.expiresAt !== 'number' || item.expiresAt > now)
        .map(sessionOf),
      deviceGrants: grants
        .filter((grant): grant is Item => !!grant && grant.status === 'approved' && grant.userId === userId && (grant.codeExpiresAt as number) > now)
        .map(
          (grant) =>
            ({
              userCode: grant.userCode as string,
              deviceCodeHash: '',
              clientId: grant.clientId as string,
              status: 'approved',
              userId,
              createdAt: grant.createdAt as number,
              codeExpiresAt: grant.codeExpiresAt as number,
              interval: grant.interval as number,
              lastPolledAt: grant.lastPolledAt as number,
            }) satisfies DeviceGrant,
        ),
      ...(portal
        ? {
            portal: {
              ...(typeof portal.teamId === 'string' ? { teamId: portal.teamId } : {}),
              permissions: stringList(portal.permissions),
              recordedGrants: stringList(portal.recordedGrants),
            },
          }
        : {}),
      resets: of('RESET#').map((item) => ({
        createdAt: item.createdAt as number,
        expiresAt: item.expiresAt as number,
        ...(typeof item.usedAt === 'number' ? { usedAt: item.usedAt } : {}),
      })),
    };
  }

  async setDisabled(userId: string, email: string, disabledAt: string | undefined, audit: AuditRecord): Promise<void> {
    const change = disabledAt
      ? { UpdateExpression: 'SET disabledAt = :at', values: { ':at': disabledAt } }
      : { UpdateExpression: 'REMOVE disabledAt', values: {} as Record<string, unknown> };
    const transaction = namedTransaction({
      profile: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.profile(userId),
          UpdateExpression: change.UpdateExpression,
          ConditionExpression: 'attribute_exists(pk)',
          ...(Object.keys(change.values).length ? { ExpressionAttributeValues: change.values } : {}),
        },
      },
      credential: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.credential(email),
          UpdateExpression: change.UpdateExpression,
          ConditionExpression: 'userId = :user',
          ExpressionAttributeValues: { ...change.values, ':user': userId },
        },
      },
      ...auditPuts(this.tableName, audit),
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('profile') || cancelled?.conditionFailed('credential'))
        throw new NotFoundError('There is no user with this id.', { cause: error });
      throw error;
    }
    // Refresh is one conditional write on the family with no profile read, so the mark goes on every family too (after
    // the credential: a sign-in racing this either fails its credential condition or started a family this query finds).
    await updateUserFamilies(this.db, this.tableName, itemKeys.userPartition(userId), {
      UpdateExpression: change.UpdateExpression,
      ...(Object.keys(change.values).length ? { ExpressionAttributeValues: change.values } : {}),
    });
  }

  async denyDeviceGrants(userId: string): Promise<number> {
    let denied = 0;
    for (const pointer of await this.partition(userId, 'DEVICE#')) {
      const userCode = String(pointer.userCode);
      try {
        await guarded(() =>
          this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: itemKeys.device(userCode),
              UpdateExpression: 'SET #status = :denied, decidedAt = :now',
              ConditionExpression: '#status = :approved AND userId = :user',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':denied': 'denied', ':approved': 'approved', ':user': userId, ':now': this.nowSeconds() },
            }),
          ),
        );
        denied += 1;
      } catch (error) {
        // Redeemed, expired or already denied: nothing left to stop.
        if (!isConditionalFailure(error)) throw error;
      }
      await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.devicePointer(userId, userCode) })));
    }
    return denied;
  }

  async cutSessions(userId: string, now: number, audit: AuditRecord): Promise<void> {
    await this.writeAudited(
      {
        profile: {
          Update: {
            TableName: this.tableName,
            Key: itemKeys.profile(userId),
            // Never moves back (as the user's own sign-out everywhere): a slower, older cut cannot reopen a newer one.
            UpdateExpression: 'SET sessionsNotBefore = :now',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(sessionsNotBefore) OR sessionsNotBefore <= :now)',
            ExpressionAttributeValues: { ':now': now },
          },
        },
      },
      audit,
      'There is no user with this id.',
    );
  }

  async endSession(userId: string, familyId: string, audit: AuditRecord): Promise<void> {
    await this.writeAudited(
      { session: { Delete: { TableName: this.tableName, Key: itemKeys.session(userId, familyId), ConditionExpression: 'attribute_exists(pk)' } } },
      audit,
      'This user has no session with this id.',
    );
  }

  async clearBackoff(throttleKey: string, audit: AuditRecord): Promise<void> {
    await this.writeAudited({ counter: { Delete: { TableName: this.tableName, Key: itemKeys.throttle(throttleKey) } } }, audit, 'Nothing to unlock.');
  }

  /** One change and its audit entry in one transaction; a failed condition of the change means its subject is gone. */
  private async writeAudited(change: Record<string, TransactItem>, audit: AuditRecord, goneMessage: string): Promise<void> {
    const transaction = namedTransaction<string>({ ...change, ...auditPuts(this.tableName, audit) });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled && Object.keys(change).some((name) => cancelled.conditionFailed(name))) throw new NotFoundError(goneMessage, { cause: error });
      if (cancelled?.conflicted) throw new ConflictError('The user changed at the same moment; try again.', { cause: error });
      throw error;
    }
  }

  async setPartners(userId: string, partners: PartnerIdentities, audit: AuditRecord): Promise<void> {
    const key = itemKeys.profile(userId);
    try {
      // A nested SET needs the map to exist; making it is its own (idempotent) step.
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET attributes = if_not_exists(attributes, :empty)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':empty': {} },
          }),
        ),
      );
    } catch (error) {
      if (isConditionalFailure(error)) throw new NotFoundError('There is no user with this id.', { cause: error });
      throw error;
    }
    // The claims held now come from the profile as stored, and the write is conditioned on its partner version:
    // a concurrent change of the same user cancels this one instead of leaving a claim nobody releases.
    const profile = await this.get(key);
    if (!profile) throw new NotFoundError('There is no user with this id.');
    const version = typeof profile.partnersVersion === 'number' ? profile.partnersVersion : 0;
    const held = partnerClaims(profile.attributes as Record<string, unknown> | undefined);
    const wanted = partnerClaims(partners as Record<string, unknown>);
    const same = (a: PartnerClaim) => (b: PartnerClaim) => a.partner === b.partner && a.kind === b.kind && a.value === b.value;
    const claimKey = (claim: PartnerClaim) => itemKeys.partnerClaim(claim.partner, claim.kind, claim.value);
    const sets: string[] = ['partnersVersion = :next'];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ':version': version, ':next': version + 1 };
    for (const partner of SSO_PARTNERS) {
      if (partners[partner]) {
        sets.push(`attributes.#${partner} = :${partner}`);
        values[`:${partner}`] = partners[partner];
      } else removes.push(`attributes.#${partner}`);
    }
    const items: Record<string, TransactItem> = {
      profile: {
        Update: {
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND (partnersVersion = :version OR (attribute_not_exists(partnersVersion) AND :version = :zero))',
          ExpressionAttributeNames: Object.fromEntries(SSO_PARTNERS.map((partner) => [`#${partner}`, partner])),
          ExpressionAttributeValues: { ...values, ':zero': 0 },
        },
      },
    };
    held
      .filter((claim) => !wanted.some(same(claim)))
      .forEach((claim, index) => {
        items[`release${index}`] = {
          Delete: {
            TableName: this.tableName,
            Key: claimKey(claim),
            ConditionExpression: 'attribute_not_exists(pk) OR userId = :user',
            ExpressionAttributeValues: { ':user': userId },
          },
        };
      });
    const claimed = wanted.filter((claim) => !held.some(same(claim)));
    claimed.forEach((claim, index) => {
      items[`claim${index}`] = {
        Put: {
          TableName: this.tableName,
          Item: { ...claimKey(claim), type: 'partner-claim', ...claim, userId },
          // One account per partner identity: a claim held by another account refuses the whole change.
          ConditionExpression: 'attribute_not_exists(pk) OR userId = :user',
          ExpressionAttributeValues: { ':user': userId },
        },
      };
    });
    const transaction = namedTransaction<string>({ ...items, ...auditPuts(this.tableName, audit) });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (!cancelled) throw error;
      const taken = claimed.find((_claim, index) => cancelled.conditionFailed(`claim${index}`));
      if (taken)
        throw new ConflictError(`Another account already has this ${taken.partner} ${taken.kind}: a partner identity belongs to one account only.`, {
          cause: error,
        });
      if (cancelled.conflicted || cancelled.failedConditions.length)
        throw new ConflictError("The user's partner identities changed at the same moment; reload and try again.", { cause: error });
      throw error;
    }
  }
}
