import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../core/admin/ports';
import { addressHash } from '../../core/email';
import { ConflictError } from '../../core/errors';
import type { FederatedProvider } from '../../core/federation/providers';
import type { AccountDeletion, AccountDeletionStore } from '../../core/ports';
import { partnerClaims } from '../../core/sso/partner-identities';
import { auditPuts } from './audit-store';
import { guarded } from './client';
import { relayStateDelete } from './relay-mail-state-store';
import { itemKeys } from './table-design';
import type { TransactItem } from './transaction';
import { batchDelete, sweepingTransaction, throttleDeletes, userPartition } from './user-partition';

/** Removing an account: its partition, its email claim (a tombstone stays), its counters, partner claims and team seat. */
export class DynamoAccountDeletionStore implements AccountDeletionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async deleteAccount(userId: string, throttleKeys: (email: string) => string[], audit?: AuditRecord): Promise<AccountDeletion> {
    const items = await userPartition(this.db, this.tableName, userId);
    const profile = items.find((item) => item.sk === 'PROFILE');
    const dependents = items.filter((item) => item.sk !== 'PROFILE');
    if (!profile) {
      // Already deleted (or a half-finished earlier delete): remove whatever is left.
      await batchDelete(this.db, this.tableName, dependents);
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
      ...(await this.identityReleases(userId, dependents)),
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
    const transaction = await sweepingTransaction(this.db, this.tableName, core, dependents);
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
    await batchDelete(this.db, this.tableName, await userPartition(this.db, this.tableName, userId, 'SESSION#'));
    return emptiedTeamId ? { emptiedTeamId } : {};
  }

  /**
   * The account's federated identities (`FEDID#<provider>#<sub>`), found through their copies under the user and
   * released with it: only those still naming this account (one taken over meanwhile is another account's now).
   * The condition makes a takeover landing between the read and the transaction a ConflictError, and a retry decides again.
   */
  private async identityReleases(
    userId: string,
    dependents: Record<string, unknown>[],
  ): Promise<Record<`identity#${number}` | `relayState#${number}`, TransactItem | undefined>> {
    const copies = dependents.filter((item) => typeof item.sk === 'string' && item.sk.startsWith('FEDID#'));
    const owned: Record<string, unknown>[] = [];
    for (const copy of copies) {
      const key = itemKeys.federatedIdentity(copy.provider as string, copy.sub as string);
      const { Item } = await guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })));
      if (Item?.userId === userId) owned.push(Item);
    }
    return Object.fromEntries(
      owned.flatMap((identity, index) => [
        [
          `identity#${index}`,
          {
            Delete: {
              TableName: this.tableName,
              Key: itemKeys.federatedIdentity(identity.provider as string, identity.sub as string),
              ConditionExpression: 'userId = :userId',
              ExpressionAttributeValues: { ':userId': userId },
            },
          },
        ],
        // An Apple identity's relay state under its address goes too (the account's personal data goes with it).
        [
          `relayState#${index}`,
          relayStateDelete(this.tableName, { provider: identity.provider as FederatedProvider, email: identity.email as string | undefined, userId }),
        ],
      ]),
    );
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
}
