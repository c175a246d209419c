import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput, type TransactWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import { LoginBridgeError } from '../../core/errors';
import { guarded } from './client';

/** One Put, Update, Delete or ConditionCheck of a TransactWriteItems request, in document-client form. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The items of one transaction, each under a name that says what it is. The
 * names' order is the order DynamoDB sees; an item left `undefined` is not
 * written (for optional parts of a transaction).
 */
export type NamedItems<Name extends string> = { readonly [name in Name]: TransactItem | undefined };

/** Why DynamoDB refused one item: its reason code and, with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`, the item as it stood. */
export interface ItemCancellation {
  /** 'None' for an item that did not cause the cancellation. */
  readonly code: string;
  readonly oldItem?: Record<string, NativeAttributeValue>;
}

/**
 * A cancelled transaction, told by item name rather than by position, so that
 * reordering or adding items cannot silently change what a failure means.
 * Stores turn it into their domain answer; one that escapes is a bug (500).
 */
export class TransactionCancelledError<Name extends string = string> extends LoginBridgeError {
  constructor(
    readonly reasons: ReadonlyMap<Name, ItemCancellation>,
    options?: ErrorOptions,
  ) {
    super(`Transaction cancelled: ${describe(reasons)}.`, options);
    // Literal: the bundles are minified, and the logs name an escaped cancellation by it.
    this.name = 'TransactionCancelledError';
  }

  /** True when this item's ConditionExpression did not hold. */
  conditionFailed(name: Name): boolean {
    return this.reasons.get(name)?.code === 'ConditionalCheckFailed';
  }

  /** True when another request was changing one of the items at the same moment. */
  get conflicted(): boolean {
    return [...this.reasons.values()].some((reason) => reason.code === 'TransactionConflict');
  }

  /** The names of the items whose condition failed, in transaction order. */
  get failedConditions(): Name[] {
    return [...this.reasons.keys()].filter((name) => this.conditionFailed(name));
  }

  /** The item as it stood when its condition failed; only for items written with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`. */
  oldItem(name: Name): Record<string, NativeAttributeValue> | undefined {
    return this.reasons.get(name)?.oldItem;
  }
}

function describe(reasons: ReadonlyMap<string, ItemCancellation>): string {
  const refused = [...reasons].filter(([, reason]) => reason.code !== 'None');
  return refused.length ? refused.map(([name, reason]) => `${name} (${reason.code})`).join(', ') : 'no reason given';
}

/** Request settings besides the items, such as `ReturnConsumedCapacity`. */
export type TransactionOptions = Omit<TransactWriteCommandInput, 'TransactItems'>;

/** A TransactWriteItems request built from named items; see `namedTransaction`. */
export class NamedTransaction<Name extends string> {
  private readonly entries: [Name, TransactItem][];

  constructor(items: NamedItems<Name>) {
    this.entries = (Object.entries(items) as [Name, TransactItem | undefined][]).filter((entry): entry is [Name, TransactItem] => entry[1] !== undefined);
    // JavaScript lists integer-like keys first, whatever order they were written in: such a name would reorder the items.
    const numeric = this.entries.find(([name]) => /^(0|[1-9]\d*)$/.test(name));
    if (numeric) throw new Error(`A transaction item name must not be a number: ${numeric[0]}`);
    if (this.entries.length === 0) throw new Error('A transaction needs at least one item.');
  }

  get names(): Name[] {
    return this.entries.map(([name]) => name);
  }

  get input(): TransactWriteCommandInput {
    return { TransactItems: this.entries.map(([, item]) => item) };
  }

  /** Writes all items or none; a cancellation becomes a TransactionCancelledError naming the items, other failures pass as `guarded` leaves them. */
  async write(db: DynamoDBDocumentClient, options: TransactionOptions = {}): Promise<TransactWriteCommandOutput> {
    try {
      return await guarded(() => db.send(new TransactWriteCommand({ ...options, ...this.input })));
    } catch (error) {
      throw this.fromSdkError(error) ?? error;
    }
  }

  /**
   * As `write`, but SDK errors other than a cancellation pass unchanged: for
   * callers that retry throttling themselves (the bulk importer).
   */
  async send(db: DynamoDBDocumentClient, options: TransactionOptions = {}): Promise<TransactWriteCommandOutput> {
    try {
      return await db.send(new TransactWriteCommand({ ...options, ...this.input }));
    } catch (error) {
      throw this.fromSdkError(error) ?? error;
    }
  }

  /** This transaction's cancellation, typed with its item names, when `error` is one; otherwise undefined. */
  cancellation(error: unknown): TransactionCancelledError<Name> | undefined {
    return error instanceof TransactionCancelledError ? (error as TransactionCancelledError<Name>) : undefined;
  }

  private fromSdkError(error: unknown): TransactionCancelledError<Name> | undefined {
    if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
    // The document client leaves the exception as DynamoDB sent it: old items are still in AttributeValue form.
    const sent = (error as { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] }).CancellationReasons ?? [];
    const reasons = new Map<Name, ItemCancellation>();
    this.entries.forEach(([name], position) => {
      const reason = sent[position];
      if (!reason) return;
      reasons.set(name, { code: reason.Code ?? 'None', ...(reason.Item ? { oldItem: unmarshall(reason.Item) } : {}) });
    });
    return new TransactionCancelledError(reasons, { cause: error });
  }
}

/**
 * Builds a transaction from named items:
 *
 *     const transaction = namedTransaction({ grant: { Update: ... }, pointer: { Put: ... } });
 *     try { await transaction.write(db); }
 *     catch (error) { if (transaction.cancellation(error)?.conditionFailed('grant')) ...; throw error; }
 */
export function namedTransaction<Name extends string>(items: NamedItems<Name>): NamedTransaction<Name> {
  return new NamedTransaction(items);
}
