import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { InvitationKind, Membership } from '../../core/portal/ports';
import { guarded, queryPartition } from './client';
import { itemKeys } from './table-design';

/**
 * The portal's items in the single table, and what its stores (team,
 * membership, invitation, team credential, idempotency) share: teams,
 * members, invitations, the team credential index and idempotency records,
 * no index needed (every read is by key or by partition). See
 * `table-design.ts` for the item kinds. Every change that touches two items
 * is one transaction with conditions, so two requests racing never leave a
 * count, a membership or an invitation half-changed.
 */

export type Item = Record<string, unknown>;

/** The item as the core sees it: without its keys and type. */
export const strip = (item: Item): Item => {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest;
};

/** DynamoDB string sets come back as Set; older items or hand-written ones may hold a list. */
const stringList = (value: unknown): string[] =>
  (value instanceof Set ? [...value] : Array.isArray(value) ? value : []).filter((item): item is string => typeof item === 'string');

export function membershipOf(item: Item): Membership {
  const recordedGrants = stringList(item.recordedGrants);
  return {
    userId: item.userId as string,
    ...(typeof item.teamId === 'string' ? { teamId: item.teamId } : {}),
    permissions: stringList(item.permissions),
    ...(recordedGrants.length ? { recordedGrants } : {}),
  };
}

export function invitationKey(kind: InvitationKind, inviteId: string, teamId?: string) {
  return kind === 'team' ? itemKeys.teamInvitation(teamId as string, inviteId) : itemKeys.adminInvitation(inviteId);
}

/** The idempotency record's completion: alone (IdempotencyStore) or in the transaction of the work it records (a new credential). */
export function completionUpdate(tableName: string, userId: string, keyHash: string, operationId: string, response: { statusCode: number; sealed: string }) {
  return {
    Update: {
      TableName: tableName,
      Key: itemKeys.idempotency(userId, keyHash),
      UpdateExpression: 'SET #state = :done, #response = :response REMOVE lockedUntil',
      ConditionExpression: 'operationId = :operation',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: { ':done': 'done', ':response': response, ':operation': operationId },
    },
  };
}

/** The table and the reads every portal store makes. */
export abstract class PortalTable {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  protected get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    return guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).then((result) => result.Item);
  }

  protected query(pk: string): Promise<Item[]> {
    return queryPartition(this.db, this.tableName, pk) as Promise<Item[]>;
  }

  protected async readMembership(userId: string): Promise<Membership | undefined> {
    const item = await this.get(itemKeys.portalMembership(userId));
    return item ? membershipOf(item) : undefined;
  }
}
