import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AdminUserStore, UserRecord } from '../../core/admin/ports';
import { NotFoundError } from '../../core/errors';
import type { DeviceGrant } from '../../core/oauth/ports';
import type { SessionFamily } from '../../core/ports';
import { guarded, isConditionalFailure, queryPartition, updateUserFamilies } from './client';
import { namedTransaction } from './transaction';
import { itemKeys } from './table-design';

type Item = Record<string, unknown>;

const stringList = (value: unknown): string[] =>
  (value instanceof Set ? [...value] : Array.isArray(value) ? value : []).filter((item): item is string => typeof item === 'string');

function sessionOf(item: Item): SessionFamily {
  return {
    userId: item.userId as string,
    familyId: item.familyId as string,
    currentHash: '',
    rotatedHashes: [],
    ...(typeof item.clientId === 'string' ? { clientId: item.clientId } : {}),
    createdAt: item.createdAt as number,
    lastUsedAt: item.lastUsedAt as number,
    absoluteExpiresAt: item.absoluteExpiresAt as number,
    expiresAt: item.expiresAt as number,
  };
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
      ...(portal ? { portal: { ...(typeof portal.teamId === 'string' ? { teamId: portal.teamId } : {}), permissions: stringList(portal.permissions) } } : {}),
      resets: of('RESET#').map((item) => ({
        createdAt: item.createdAt as number,
        expiresAt: item.expiresAt as number,
        ...(typeof item.usedAt === 'number' ? { usedAt: item.usedAt } : {}),
      })),
    };
  }

  async setDisabled(userId: string, email: string, disabledAt: string | undefined): Promise<void> {
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
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      if (transaction.cancellation(error)?.failedConditions.length) throw new NotFoundError('There is no user with this id.', { cause: error });
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

  async setPartners(userId: string, partners: { acronis?: Record<string, unknown>; astrato?: Record<string, unknown> }): Promise<void> {
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
      const sets: string[] = [];
      const removes: string[] = [];
      const values: Record<string, unknown> = {};
      for (const partner of ['acronis', 'astrato'] as const) {
        if (partners[partner]) {
          sets.push(`attributes.#${partner} = :${partner}`);
          values[`:${partner}`] = partners[partner];
        } else removes.push(`attributes.#${partner}`);
      }
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' '),
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#acronis': 'acronis', '#astrato': 'astrato' },
            ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
          }),
        ),
      );
    } catch (error) {
      if (isConditionalFailure(error)) throw new NotFoundError('There is no user with this id.', { cause: error });
      throw error;
    }
  }
}
