import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebSignInHandoff, WebSignInState, WebSignInStore } from '../../core/federation/web-sign-in';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';

/** The web sign-in's state and hand-off items: written with their TTL, taken back by exactly one conditional delete. */
export class DynamoWebSignInStore implements WebSignInStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  putState(key: string, state: WebSignInState): Promise<void> {
    return this.put('state', key, { ...state });
  }

  consumeState(key: string, now: number): Promise<WebSignInState | undefined> {
    return this.consume<WebSignInState>('state', key, now);
  }

  putHandoff(key: string, handoff: WebSignInHandoff): Promise<void> {
    return this.put('handoff', key, { ...handoff });
  }

  consumeHandoff(key: string, now: number): Promise<WebSignInHandoff | undefined> {
    return this.consume<WebSignInHandoff>('handoff', key, now);
  }

  private async put(kind: 'state' | 'handoff', key: string, item: Record<string, unknown>): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.webSignIn(kind, key), type: `web-sign-in-${kind}`, expiresAt: item.expiresAt, item } }),
      ),
    );
  }

  private async consume<T extends { expiresAt: number }>(kind: 'state' | 'handoff', key: string, now: number): Promise<T | undefined> {
    try {
      const { Attributes } = await guarded(() =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: itemKeys.webSignIn(kind, key),
            // TTL deletion lags: an expired item may still be there, and is refused (and left to the TTL).
            ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
            ExpressionAttributeValues: { ':now': now },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      return Attributes ? (Attributes.item as T) : undefined;
    } catch (error) {
      if (isConditionalFailure(error)) return undefined;
      throw error;
    }
  }
}
