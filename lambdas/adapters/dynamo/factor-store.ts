import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import type { FactorOwner, FactorStore, StoredFactor, StoredPasskey } from '../../core/factors/ports';
import { guarded, queryPartition, updateIf } from './client';
import { itemKeys } from './table-design';
import { type NamedTransaction, namedTransaction, type TransactItem } from './transaction';

function toFactor(item: Record<string, unknown>): StoredFactor {
  return {
    userId: item.userId as string,
    factorId: item.factorId as string,
    kind: item.kind as StoredFactor['kind'],
    label: item.label as string,
    createdAt: item.createdAt as number,
    ...(typeof item.confirmedAt === 'number' ? { confirmedAt: item.confirmedAt } : {}),
    ...(typeof item.lastUsedAt === 'number' ? { lastUsedAt: item.lastUsedAt } : {}),
    ...(typeof item.sealedSecret === 'string' ? { sealedSecret: item.sealedSecret } : {}),
    ...(typeof item.lastStep === 'number' ? { lastStep: item.lastStep } : {}),
    ...(item.passkey && typeof item.passkey === 'object' ? { passkey: toPasskey(item.passkey as Record<string, unknown>, item.signCount) } : {}),
  };
}

function storedPasskey({ signCount, ...passkey }: StoredPasskey): Record<string, unknown> {
  return { passkey, signCount };
}

/** The counter lives beside the passkey map (`signCount`), so its conditional write is a plain comparison. */
function toPasskey(passkey: Record<string, unknown>, signCount: unknown): StoredPasskey {
  return {
    credentialId: passkey.credentialId as string,
    publicKey: passkey.publicKey as string,
    signCount: typeof signCount === 'number' ? signCount : 0,
    transports: Array.isArray(passkey.transports) ? (passkey.transports as string[]) : [],
    backedUp: passkey.backedUp === true,
    aaguid: typeof passkey.aaguid === 'string' ? passkey.aaguid : '',
  };
}

/**
 * Second factors in the user's partition (so deleting the account removes
 * them), and on the credential a count of confirmed factors: the sign-in reads
 * the credential anyway, so an account without factors pays nothing more.
 */
export class DynamoFactorStore implements FactorStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listFactors(userId: string): Promise<StoredFactor[]> {
    const items = await queryPartition(this.db, this.tableName, itemKeys.userPartition(userId), 'FACTOR#');
    return items.map(toFactor).sort((a, b) => a.createdAt - b.createdAt);
  }

  async getFactor(userId: string, factorId: string): Promise<StoredFactor | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.factor(userId, factorId), ConsistentRead: true })),
    );
    return Item ? toFactor(Item) : undefined;
  }

  async putPendingFactor(factor: StoredFactor, expiresAt: number): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.factor(factor.userId, factor.factorId), type: 'factor', ...factor, expiresAt } }),
      ),
    );
  }

  async confirmFactor(owner: FactorOwner, factorId: string, step: number, now: number, recoveryCodeHashes?: string[]): Promise<boolean> {
    const transaction = namedTransaction({
      factor: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.factor(owner.userId, factorId),
          UpdateExpression: 'SET confirmedAt = :now, lastUsedAt = :now, lastStep = :step REMOVE expiresAt',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(confirmedAt)',
          ExpressionAttributeValues: { ':now': now, ':step': step },
        },
      },
      credential: this.countChange(owner, 1),
      recovery: recoveryCodeHashes ? this.recoveryPut(owner.userId, recoveryCodeHashes, now) : undefined,
    });
    return this.writeUnlessFactorCondition(transaction);
  }

  async useStep(userId: string, factorId: string, step: number, now: number): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.tableName,
      Key: itemKeys.factor(userId, factorId),
      UpdateExpression: 'SET lastStep = :step, lastUsedAt = :now',
      ConditionExpression: 'attribute_exists(confirmedAt) AND (attribute_not_exists(lastStep) OR lastStep < :step)',
      ExpressionAttributeValues: { ':step': step, ':now': now },
    });
  }

  async addConfirmedFactor(owner: FactorOwner, factor: StoredFactor, recoveryCodeHashes?: string[]): Promise<boolean> {
    const { passkey, ...rest } = factor;
    const item = { ...itemKeys.factor(owner.userId, factor.factorId), type: 'factor', ...rest, ...(passkey ? storedPasskey(passkey) : {}) };
    const transaction = namedTransaction({
      factor: { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
      credential: this.countChange(owner, 1),
      recovery: recoveryCodeHashes ? this.recoveryPut(owner.userId, recoveryCodeHashes, factor.confirmedAt ?? factor.createdAt) : undefined,
    });
    return this.writeUnlessFactorCondition(transaction);
  }

  async usePasskey(userId: string, factorId: string, previous: number, next: number, backedUp: boolean, now: number): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.tableName,
      Key: itemKeys.factor(userId, factorId),
      UpdateExpression: 'SET signCount = :next, lastUsedAt = :now, passkey.backedUp = :backedUp',
      // The counter read before the check must still be the stored one: of two uses racing with one counter value, one wins.
      ConditionExpression: 'attribute_exists(confirmedAt) AND signCount = :previous',
      ExpressionAttributeValues: { ':next': next, ':previous': previous, ':now': now, ':backedUp': backedUp },
    });
  }

  async renameFactor(userId: string, factorId: string, label: string): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.tableName,
      Key: itemKeys.factor(userId, factorId),
      UpdateExpression: 'SET label = :label',
      ConditionExpression: 'attribute_exists(confirmedAt)',
      ExpressionAttributeValues: { ':label': label },
    });
  }

  async removeFactor(owner: FactorOwner, factorId: string, options: { keepOne: boolean; last: boolean }): Promise<'removed' | 'gone' | 'refused'> {
    const credential = this.countChange(owner, -1, options.keepOne ? 2 : options.last ? 1 : undefined);
    const transaction = namedTransaction({
      factor: {
        Delete: { TableName: this.tableName, Key: itemKeys.factor(owner.userId, factorId), ConditionExpression: 'attribute_exists(confirmedAt)' },
      },
      credential,
      recovery: options.last && !options.keepOne ? { Delete: { TableName: this.tableName, Key: itemKeys.recoveryCodes(owner.userId) } } : undefined,
    });
    try {
      await transaction.write(this.db);
      return 'removed';
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('factor')) return 'gone';
      if (cancelled?.conditionFailed('credential')) {
        if (options.keepOne) return 'refused';
        throw new ConflictError('Your factors changed at the same moment; please try again.', { cause: error });
      }
      if (cancelled?.conflicted) throw new ConflictError('Your factors changed at the same moment; please try again.', { cause: error });
      throw error;
    }
  }

  async removeAllFactors(owner: FactorOwner): Promise<number> {
    const factors = await queryPartition(this.db, this.tableName, itemKeys.userPartition(owner.userId), 'FACTOR#');
    const transaction = namedTransaction({
      ...Object.fromEntries(
        factors.map((item, index) => [`factor#${index}`, { Delete: { TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } } } as TransactItem]),
      ),
      recovery: { Delete: { TableName: this.tableName, Key: itemKeys.recoveryCodes(owner.userId) } },
      credential: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.credential(owner.email),
          UpdateExpression: 'REMOVE factorCount',
          ConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': owner.userId },
        },
      },
    });
    await transaction.write(this.db);
    return factors.filter((item) => typeof item.confirmedAt === 'number').length;
  }

  async saveRecoveryCodes(userId: string, hashes: string[], now: number): Promise<void> {
    await guarded(() => this.db.send(new PutCommand(this.recoveryPut(userId, hashes, now).Put as ConstructorParameters<typeof PutCommand>[0])));
  }

  async consumeRecoveryCode(userId: string, hash: string, now: number): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.tableName,
      Key: itemKeys.recoveryCodes(userId),
      UpdateExpression: 'DELETE unused :hash SET lastUsedAt = :now',
      ConditionExpression: 'contains(unused, :code)',
      ExpressionAttributeValues: { ':hash': new Set([hash]), ':code': hash, ':now': now },
    });
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.recoveryCodes(userId), ConsistentRead: true })),
    );
    return Item?.unused instanceof Set ? Item.unused.size : 0;
  }

  async markFactorUsed(userId: string, familyId: string, now: number, amr: string[]): Promise<boolean> {
    return updateIf(this.db, {
      TableName: this.tableName,
      Key: itemKeys.session(userId, familyId),
      // The session's methods gain the factor's and `mfa` (a password session becomes a two-factor one); refreshed tokens carry them.
      UpdateExpression: 'SET factorUsedAt = :now, amr = :amr',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now, ':amr': amr },
    });
  }

  /** The credential's count of confirmed factors, up or down; `atLeast`: the count must be at least this before the change. */
  /** Writes a transaction with a `factor` item: false when the factor's condition failed (already there, or already confirmed). */
  private async writeUnlessFactorCondition(transaction: NamedTransaction<'factor' | 'credential' | 'recovery'>): Promise<boolean> {
    try {
      await transaction.write(this.db);
      return true;
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('factor')) return false;
      if (cancelled?.conflicted) throw new ConflictError('The account changed at the same moment; please try again.', { cause: error });
      throw error;
    }
  }

  private countChange(owner: FactorOwner, by: 1 | -1, atLeast?: number): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: itemKeys.credential(owner.email),
        UpdateExpression: 'SET factorCount = if_not_exists(factorCount, :zero) + :by',
        ConditionExpression: `userId = :userId${atLeast !== undefined ? ' AND factorCount >= :atLeast' : ''}`,
        ExpressionAttributeValues: { ':userId': owner.userId, ':zero': 0, ':by': by, ...(atLeast !== undefined ? { ':atLeast': atLeast } : {}) },
      },
    };
  }

  private recoveryPut(userId: string, hashes: string[], now: number) {
    return { Put: { TableName: this.tableName, Item: { ...itemKeys.recoveryCodes(userId), type: 'recovery-codes', unused: new Set(hashes), createdAt: now } } };
  }
}
