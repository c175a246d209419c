import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, IdentityTakenError, NotFoundError, ProviderAlreadyLinkedError, UnauthenticatedError } from '../../core/errors';
import type { FederatedIdentity, FederatedIdentityStore, RelayEmailState } from '../../core/federation/ports';
import type { FederatedProvider } from '../../core/federation/providers';
import type { Credential, SessionFamily, UserProfile } from '../../core/ports';
import { guarded, queryPartition } from './client';
import { newAccountItems, writeNewAccount } from './credential-store';
import { relayStateWrite } from './relay-mail-state-store';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem, type TransactionCancelledError } from './transaction';

const identityFields = (identity: FederatedIdentity) => ({
  type: 'federated-identity',
  provider: identity.provider,
  sub: identity.sub,
  userId: identity.userId,
  ...(identity.email ? { email: identity.email } : {}),
  linkedAt: identity.linkedAt,
});

function fromItem(item: Record<string, unknown>): FederatedIdentity {
  return {
    provider: item.provider as FederatedProvider,
    sub: item.sub as string,
    userId: item.userId as string,
    ...(typeof item.email === 'string' ? { email: item.email } : {}),
    linkedAt: item.linkedAt as number,
    ...(item.relayEmailState === 'enabled' || item.relayEmailState === 'disabled' ? { relayEmailState: item.relayEmailState } : {}),
    ...(typeof item.sealedRefreshToken === 'string' ? { sealedRefreshToken: item.sealedRefreshToken } : {}),
    ...(typeof item.refreshTokenClientId === 'string' ? { refreshTokenClientId: item.refreshTokenClientId } : {}),
  };
}

/** Provider identities in the single table (table-design.ts: FEDID#). */
export class DynamoFederatedIdentityStore implements FederatedIdentityStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getIdentity(provider: FederatedProvider, sub: string): Promise<FederatedIdentity | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.federatedIdentity(provider, sub), ConsistentRead: true })),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /** The identity item, only if free or still naming a deleted account; and its copy under the user. */
  private identityItems(
    identity: FederatedIdentity,
    staleUserId?: string,
  ): { identity: TransactItem; identityOfUser: TransactItem; providerOfUser: TransactItem } {
    return {
      // One identity per provider and account: of two links of one provider at once (two Google accounts), one wins.
      // Identities linked before this marker existed have none: the read in the use cases covers them.
      providerOfUser: {
        Put: {
          TableName: this.tableName,
          Item: { ...itemKeys.federatedProviderOfUser(identity.userId, identity.provider), type: 'federated-provider', sub: identity.sub },
          ConditionExpression: 'attribute_not_exists(pk) OR #sub = :sub',
          ExpressionAttributeNames: { '#sub': 'sub' },
          ExpressionAttributeValues: { ':sub': identity.sub },
        },
      },
      identity: {
        Put: {
          TableName: this.tableName,
          Item: { ...itemKeys.federatedIdentity(identity.provider, identity.sub), ...identityFields(identity) },
          ConditionExpression: staleUserId ? 'attribute_not_exists(pk) OR userId = :stale' : 'attribute_not_exists(pk)',
          ...(staleUserId ? { ExpressionAttributeValues: { ':stale': staleUserId } } : {}),
        },
      },
      identityOfUser: {
        Put: {
          TableName: this.tableName,
          Item: { ...itemKeys.federatedIdentityOfUser(identity.userId, identity.provider, identity.sub), ...identityFields(identity) },
        },
      },
    };
  }

  async createFederatedAccount(
    credential: Credential,
    profile: UserProfile,
    firstSession: SessionFamily,
    identity: FederatedIdentity,
    staleUserId?: string,
  ): Promise<void> {
    await writeNewAccount(
      this.db,
      newAccountItems(this.tableName, credential, profile, firstSession),
      this.identityItems(identity, staleUserId),
      (cancelled) => (cancelled.conditionFailed('identity') ? new IdentityTakenError() : undefined),
    );
  }

  async linkIdentity(identity: FederatedIdentity, staleUserId?: string, whileSessionId?: string): Promise<void> {
    const transaction = namedTransaction({
      ...this.identityItems(identity, staleUserId),
      // The account must still exist when it gains the identity.
      profile: {
        ConditionCheck: { TableName: this.tableName, Key: itemKeys.profile(identity.userId), ConditionExpression: 'attribute_exists(pk)' },
      },
      // A link from /account: the session that asked must not have ended meanwhile (signed out, revoked).
      session: whileSessionId
        ? {
            ConditionCheck: {
              TableName: this.tableName,
              Key: itemKeys.session(identity.userId, whileSessionId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          }
        : undefined,
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('identity') || cancelled?.conflicted) throw new IdentityTakenError();
      if (cancelled?.conditionFailed('providerOfUser')) throw new ProviderAlreadyLinkedError();
      if (cancelled?.conditionFailed('profile')) throw new NotFoundError('The account no longer exists.');
      if (cancelled?.conditionFailed('session')) throw new UnauthenticatedError('Your session has ended. Please sign in again.');
      throw error;
    }
  }

  async listForUser(userId: string): Promise<FederatedIdentity[]> {
    return (await queryPartition(this.db, this.tableName, itemKeys.userPartition(userId), 'FEDID#')).map(fromItem);
  }

  async unlink(userId: string, provider: FederatedProvider, sub: string, keeping?: Pick<FederatedIdentity, 'provider' | 'sub'>): Promise<void> {
    const transaction = namedTransaction({
      identity: {
        Delete: {
          TableName: this.tableName,
          Key: itemKeys.federatedIdentity(provider, sub),
          ConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': userId },
        },
      },
      identityOfUser: { Delete: { TableName: this.tableName, Key: itemKeys.federatedIdentityOfUser(userId, provider, sub) } },
      providerOfUser: { Delete: { TableName: this.tableName, Key: itemKeys.federatedProviderOfUser(userId, provider) } },
      kept: keeping
        ? {
            ConditionCheck: {
              TableName: this.tableName,
              Key: itemKeys.federatedIdentity(keeping.provider, keeping.sub),
              ConditionExpression: 'userId = :userId',
              ExpressionAttributeValues: { ':userId': userId },
            },
          }
        : undefined,
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      // Not this account's identity (or already gone): nothing to unlink.
      if (cancelled?.conditionFailed('identity')) return;
      if (cancelled?.conditionFailed('kept') || cancelled?.conflicted) throw new ConflictError("The account's sign-in methods changed meanwhile: try again.");
      throw error;
    }
  }

  async recordRelayEmailState(identity: FederatedIdentity, state: RelayEmailState, at: number): Promise<void> {
    const cancelled = await this.updateBothCopies(
      identity,
      {
        UpdateExpression: 'SET relayEmailState = :state, relayEmailStateAt = :at',
        // Still this account's identity, and the state recorded is older (a late or replayed event never flips it back).
        ConditionExpression: 'userId = :userId AND (attribute_not_exists(relayEmailStateAt) OR relayEmailStateAt < :at)',
        ExpressionAttributeValues: { ':state': state, ':at': at },
      },
      // The same state under the relay address, for the mail's one read (core/federation/relay-mail.ts).
      relayStateWrite(this.tableName, identity, state, at),
    );
    // Gone, another account's, or a newer state already recorded: nothing to record.
    if (cancelled && (cancelled.failedConditions.length || cancelled.conflicted)) return;
    if (cancelled) throw cancelled;
  }

  async saveProviderRefreshToken(identity: FederatedIdentity, clientId: string, sealedRefreshToken: string): Promise<void> {
    const cancelled = await this.updateBothCopies(identity, {
      UpdateExpression: 'SET sealedRefreshToken = :sealed, refreshTokenClientId = :clientId',
      ConditionExpression: 'userId = :userId',
      ExpressionAttributeValues: { ':sealed': sealedRefreshToken, ':clientId': clientId },
    });
    if (cancelled?.conditionFailed('identity')) throw new NotFoundError('The identity is no longer linked to this account.');
    if (cancelled) throw cancelled;
  }

  /**
   * The same update on both copies of an identity (by (provider, sub) and under the user), in one transaction, each
   * conditioned on still belonging to `identity.userId` (`:userId` is bound here), with `alongside` if given. Answers the cancellation, if any,
   * for the caller to judge (and rethrow); any other failure throws.
   */
  private async updateBothCopies(
    identity: FederatedIdentity,
    update: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> },
    alongside?: TransactItem,
  ): Promise<TransactionCancelledError<'identity' | 'identityOfUser' | 'alongside'> | undefined> {
    const item = (Key: Record<string, string>): TransactItem => ({
      Update: {
        TableName: this.tableName,
        Key,
        ...update,
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':userId': identity.userId },
      },
    });
    const transaction = namedTransaction({
      identity: item(itemKeys.federatedIdentity(identity.provider, identity.sub)),
      identityOfUser: item(itemKeys.federatedIdentityOfUser(identity.userId, identity.provider, identity.sub)),
      alongside,
    });
    try {
      await transaction.write(this.db);
      return undefined;
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (!cancelled) throw error;
      return cancelled;
    }
  }
}
