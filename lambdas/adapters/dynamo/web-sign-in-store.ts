import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LinkTicket, LinkTicketStore } from '../../core/federation/identity-linking';
import type { WebSignInHandoff, WebSignInState, WebSignInStore } from '../../core/federation/web-sign-in';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';

type Kind = 'state' | 'handoff' | 'link';

/** The web sign-in's state, hand-off and link-ticket items: written with their TTL, taken back by exactly one conditional delete. */
export class DynamoWebSignInStore implements WebSignInStore, LinkTicketStore {
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

  putLinkTicket(key: string, ticket: LinkTicket): Promise<void> {
    return this.put('link', key, { ...ticket });
  }

  consumeLinkTicket(key: string, now: number): Promise<LinkTicket | undefined> {
    return this.consume<LinkTicket>('link', key, now);
  }

  private async put(kind: Kind, key: string, item: Record<string, unknown>): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.webSignIn(kind, key), type: `web-sign-in-${kind}`, expiresAt: item.expiresAt, item } }),
      ),
    );
  }

  private async consume<T extends { expiresAt: number }>(kind: Kind, key: string, now: number): Promise<T | undefined> {
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
