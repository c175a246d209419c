import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../../core/email';
import type { FederatedIdentity, RelayEmailState, RelayMailStates } from '../../core/federation/ports';
import { isAppleRelayAddress } from '../../core/federation/relay-mail';
import { guarded } from './client';
import { itemKeys } from './table-design';
import type { TransactItem } from './transaction';

/** The Apple identity's relay address, when it has one (only those have a relay state item). */
const relayAddressOf = (identity: Pick<FederatedIdentity, 'provider' | 'email'>): string | undefined =>
  identity.provider === 'apple' && identity.email && isAppleRelayAddress(identity.email) ? identity.email : undefined;

/**
 * The relay state under the address (table-design.ts: RELAYMAIL#), for the identity's transaction: only when `at` is
 * newer than the state recorded (the same rule as on the identity). None for an identity without a relay address.
 */
export function relayStateWrite(tableName: string, identity: FederatedIdentity, state: RelayEmailState, at: number): TransactItem | undefined {
  const address = relayAddressOf(identity);
  if (!address) return undefined;
  return {
    Update: {
      TableName: tableName,
      Key: itemKeys.relayMailState(addressHash(address)),
      UpdateExpression: 'SET #type = :type, #state = :state, stateAt = :at, userId = :userId',
      ConditionExpression: 'attribute_not_exists(pk) OR stateAt < :at',
      ExpressionAttributeNames: { '#type': 'type', '#state': 'state' },
      ExpressionAttributeValues: { ':type': 'relay-mail-state', ':state': state, ':at': at, ':userId': identity.userId },
    },
  };
}

/** The relay state of an identity released with its account (the account's personal data goes with it); only this account's. */
export function relayStateDelete(tableName: string, identity: Pick<FederatedIdentity, 'provider' | 'email' | 'userId'>): TransactItem | undefined {
  const address = relayAddressOf(identity);
  if (!address) return undefined;
  return {
    Delete: {
      TableName: tableName,
      Key: itemKeys.relayMailState(addressHash(address)),
      ConditionExpression: 'attribute_not_exists(pk) OR userId = :userId',
      ExpressionAttributeValues: { ':userId': identity.userId },
    },
  };
}

/** Reads the relay state under the address: one GetItem, no Query (the mail-sending functions are granted no more). */
export class DynamoRelayMailStates implements RelayMailStates {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async disabled(address: string): Promise<boolean> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.relayMailState(addressHash(address)), ConsistentRead: true })),
    );
    return Item?.state === 'disabled';
  }
}
