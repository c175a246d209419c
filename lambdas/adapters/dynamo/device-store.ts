import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AccountDisabledError, UnauthenticatedError } from '../../core/errors';
import type { ApprovalDecision, DeviceGrant, DeviceGrantStore, RedeemOutcome } from '../../core/oauth/ports';
import type { SessionFamily } from '../../core/ports';
import { sessionItem } from './account-items';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

/**
 * How long a grant outlives its codes: polls after the end still get a clear
 * `expired_token` (or `invalid_grant` once redeemed) instead of a bare unknown code.
 */
export const DEVICE_GRANT_RETENTION_SECONDS = 60 * 60;

/** A pointer outlives any grant it points at; a stale one is harmless (denying checks the grant's status). */
const DEVICE_POINTER_RETENTION_SECONDS = 24 * 60 * 60;

/**
 * Device grants in the single table, one item per grant under its user code.
 * Every state change is a conditional write on `status`, so two requests can
 * never both approve, or both redeem, one grant.
 */
export class DynamoDeviceGrantStore implements DeviceGrantStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(grant: DeviceGrant, now: number): Promise<boolean> {
    try {
      await guarded(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...itemKeys.device(grant.userCode), type: 'device', ...grant, expiresAt: grant.codeExpiresAt + DEVICE_GRANT_RETENTION_SECONDS },
            // A user code is free again once its grant's codes are dead, whether or not TTL has swept the item.
            ConditionExpression: 'attribute_not_exists(pk) OR codeExpiresAt <= :now',
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  async get(userCode: string): Promise<DeviceGrant | undefined> {
    const { Item } = await guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.device(userCode), ConsistentRead: true })));
    if (!Item) return undefined;
    return {
      userCode: Item.userCode,
      deviceCodeHash: Item.deviceCodeHash,
      clientId: Item.clientId,
      ...(Item.scope ? { scope: Item.scope } : {}),
      status: Item.status,
      ...(Item.userId ? { userId: Item.userId } : {}),
      createdAt: Item.createdAt,
      codeExpiresAt: Item.codeExpiresAt,
      interval: Item.interval,
      lastPolledAt: Item.lastPolledAt,
      ...(typeof Item.decidedAt === 'number' ? { decidedAt: Item.decidedAt } : {}),
      ...(Array.isArray(Item.amr) ? { amr: Item.amr as string[] } : {}),
    };
  }

  async recordPoll(userCode: string, deviceCodeHash: string, polledAt: number, interval: number): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: itemKeys.device(userCode),
      UpdateExpression: 'SET lastPolledAt = :at, #interval = :interval',
      ConditionExpression: '#status = :pending AND deviceCodeHash = :hash',
      ExpressionAttributeNames: { '#status': 'status', '#interval': 'interval' },
      ExpressionAttributeValues: { ':at': polledAt, ':interval': interval, ':pending': 'pending', ':hash': deviceCodeHash },
    });
  }

  async decide(userCode: string, decision: ApprovalDecision | { status: 'denied' }, now: number): Promise<boolean> {
    const approved = decision.status === 'approved';
    const update = {
      TableName: this.tableName,
      Key: itemKeys.device(userCode),
      UpdateExpression: approved
        ? `SET #status = :status, userId = :userId, decidedAt = :now${decision.amr ? ', amr = :amr' : ''}`
        : 'SET #status = :status, decidedAt = :now',
      ConditionExpression: '#status = :pending AND codeExpiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': decision.status,
        ':pending': 'pending',
        ':now': now,
        ...(approved ? { ':userId': decision.userId, ...(decision.amr ? { ':amr': decision.amr } : {}) } : {}),
      },
    };
    if (decision.status !== 'approved') return this.conditionalUpdate(update);
    const session = decision.session;
    // With its pointer in the user's partition, so signing the user out everywhere finds the approval before the TV redeems it.
    const transaction = namedTransaction({
      grant: { Update: update },
      pointer: {
        Put: {
          TableName: this.tableName,
          Item: { ...itemKeys.devicePointer(decision.userId, userCode), type: 'device-pointer', userCode, expiresAt: now + DEVICE_POINTER_RETENTION_SECONDS },
        },
      },
      // The user's cut, read in the approval's own write: a disable, or a sign-out everywhere (the user's or an operator's)
      // after the approving token was issued, refuses it. Same-second counts as after the cut, as SessionCheck counts it
      // (a sign-in right after a sign-out must work); an approval that lands in the cut's second is voided at redemption.
      profile: {
        ConditionCheck: {
          TableName: this.tableName,
          Key: itemKeys.profile(decision.userId),
          ConditionExpression: session
            ? 'attribute_exists(pk) AND attribute_not_exists(disabledAt) AND (attribute_not_exists(sessionsNotBefore) OR sessionsNotBefore <= :issuedAt)'
            : 'attribute_exists(pk) AND attribute_not_exists(disabledAt)',
          ...(session ? { ExpressionAttributeValues: { ':issuedAt': session.issuedAt } } : {}),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      // The approving session itself (an operator may end just that one).
      session: session
        ? {
            ConditionCheck: {
              TableName: this.tableName,
              Key: itemKeys.session(decision.userId, session.familyId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          }
        : undefined,
    });
    try {
      await transaction.write(this.db);
      return true;
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('profile') && typeof cancelled.oldItem('profile')?.disabledAt === 'string') throw new AccountDisabledError();
      if (cancelled?.conditionFailed('profile') || cancelled?.conditionFailed('session'))
        throw new UnauthenticatedError('Your session has ended. Please sign in again.', { cause: error });
      if (cancelled && (cancelled.conditionFailed('grant') || cancelled.conflicted)) return false;
      throw error;
    }
  }

  async redeem(userCode: string, deviceCodeHash: string, session: SessionFamily, approvedAt?: number): Promise<RedeemOutcome> {
    const approvalStillCounts = approvedAt !== undefined;
    const transaction = namedTransaction({
      grant: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.device(userCode),
          UpdateExpression: 'SET #status = :redeemed, redeemedAt = :now',
          ConditionExpression: '#status = :approved AND deviceCodeHash = :hash',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':redeemed': 'redeemed', ':approved': 'approved', ':hash': deviceCodeHash, ':now': session.createdAt },
        },
      },
      // The same item the account store writes for every sign-in: a device session is an ordinary session.
      session: {
        Put: {
          TableName: this.tableName,
          Item: sessionItem(session),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      profile: {
        ConditionCheck: {
          TableName: this.tableName,
          Key: itemKeys.profile(session.userId),
          // A sign-out everywhere or a password reset at or after the approval voids it (strictly older: same-second is void too);
          // a user disabled between approval and the TV's poll gets no session either.
          ConditionExpression: approvalStillCounts
            ? 'attribute_exists(pk) AND attribute_not_exists(disabledAt) AND (attribute_not_exists(sessionsNotBefore) OR sessionsNotBefore < :approvedAt)'
            : 'attribute_exists(pk) AND attribute_not_exists(disabledAt)',
          ...(approvalStillCounts ? { ExpressionAttributeValues: { ':approvedAt': approvedAt } } : {}),
        },
      },
    });
    try {
      await transaction.write(this.db);
      return 'redeemed';
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (!cancelled) throw error;
      if (cancelled.conditionFailed('profile')) {
        const { Item } = await guarded(() =>
          this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.profile(session.userId), ConsistentRead: true })),
        );
        if (!Item) return 'user-gone';
        return Item.disabledAt ? 'disabled' : 'signed-out';
      }
      // Another poll redeemed it first (failed condition), or is redeeming it right now (conflict): either way not ours.
      if (cancelled.conditionFailed('grant') || cancelled.conflicted) return 'not-approved';
      throw error;
    }
  }

  private async conditionalUpdate(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    try {
      await guarded(() => this.db.send(new UpdateCommand(input)));
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }
}
