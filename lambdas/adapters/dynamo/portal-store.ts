import { BatchGetCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../core/admin/ports';
import { USER_ADMIN } from '../../core/admin/ports';
import { ConflictError, NotFoundError } from '../../core/errors';
import { InvalidInvitationError } from '../../core/portal/invitation-tokens';
import {
  type BeginOutcome,
  type CredentialRecord,
  type IdempotencyRecord,
  type Invitation,
  type InvitationKind,
  type Membership,
  PORTAL_ADMIN,
  type PortalStore,
  type Team,
  type TeamMember,
} from '../../core/portal/ports';
import { auditPuts } from './audit-store';
import { guarded, isConditionalFailure, queryPartition } from './client';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem } from './transaction';

type Item = Record<string, unknown>;

const strip = (item: Item): Item => {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest;
};

/** DynamoDB string sets come back as Set; older items or hand-written ones may hold a list. */
const stringList = (value: unknown): string[] =>
  (value instanceof Set ? [...value] : Array.isArray(value) ? value : []).filter((item): item is string => typeof item === 'string');

function membershipOf(item: Item): Membership {
  const recordedGrants = stringList(item.recordedGrants);
  return {
    userId: item.userId as string,
    ...(typeof item.teamId === 'string' ? { teamId: item.teamId } : {}),
    permissions: stringList(item.permissions),
    ...(recordedGrants.length ? { recordedGrants } : {}),
  };
}

/**
 * Teams, members, invitations, the team credential index and idempotency
 * records in the single table (no index needed: every read is by key or by
 * partition). See `table-design.ts` for the item kinds. Every change that
 * touches two items is one transaction with conditions, so two requests
 * racing never leave a count, a membership or an invitation half-changed.
 */
export class DynamoPortalStore implements PortalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    return guarded(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).then((result) => result.Item);
  }

  private query(pk: string): Promise<Item[]> {
    return queryPartition(this.db, this.tableName, pk) as Promise<Item[]>;
  }

  async getMembership(userId: string): Promise<Membership | undefined> {
    const item = await this.get(itemKeys.portalMembership(userId));
    return item ? membershipOf(item) : undefined;
  }

  /** Memberships of several users (for checking who of a team still exists). */
  async getMemberships(userIds: string[]): Promise<Map<string, Membership>> {
    const found = new Map<string, Membership>();
    for (let index = 0; index < userIds.length; index += 100) {
      let keys: Item[] = userIds.slice(index, index + 100).map((userId) => itemKeys.portalMembership(userId));
      for (let attempt = 0; keys.length && attempt < 5; attempt += 1) {
        const result = await guarded(() => this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } })));
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(item.userId as string, membershipOf(item));
        keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
        if (keys.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    return found;
  }

  async createPersonalTeam(team: Team, member: TeamMember): Promise<boolean> {
    const transaction = namedTransaction({
      team: {
        Put: { TableName: this.tableName, Item: { ...itemKeys.team(team.teamId), type: 'team', ...team }, ConditionExpression: 'attribute_not_exists(pk)' },
      },
      member: { Put: { TableName: this.tableName, Item: { ...itemKeys.teamMember(team.teamId, member.userId), type: 'team-member', ...member } } },
      membership: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.portalMembership(member.userId),
          // A membership may already exist without a team: a permission granted by hand before first use.
          UpdateExpression: 'SET teamId = :team, userId = :user, #type = :type',
          ConditionExpression: 'attribute_not_exists(teamId)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':team': team.teamId, ':user': member.userId, ':type': 'portal-membership' },
        },
      },
    });
    try {
      await transaction.write(this.db);
      return true;
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled && (cancelled.conditionFailed('membership') || cancelled.conflicted)) return false;
      throw error;
    }
  }

  async getTeam(teamId: string): Promise<Team | undefined> {
    const item = await this.get(itemKeys.team(teamId));
    return item ? (strip(item) as unknown as Team) : undefined;
  }

  async getTeamContents(teamId: string): Promise<{ members: TeamMember[]; credentials: CredentialRecord[]; invitations: Invitation[] }> {
    const items = await this.query(itemKeys.teamPartition(teamId));
    const of = <T>(prefix: string) => items.filter((item) => (item.sk as string).startsWith(prefix)).map((item) => strip(item) as unknown as T);
    return { members: of<TeamMember>('MEMBER#'), credentials: of<CredentialRecord>('CLIENT#'), invitations: of<Invitation>('INVITE#') };
  }

  async getMember(teamId: string, userId: string): Promise<TeamMember | undefined> {
    const item = await this.get(itemKeys.teamMember(teamId, userId));
    return item ? (strip(item) as unknown as TeamMember) : undefined;
  }

  async listTeams(): Promise<Team[]> {
    return (await this.query(itemKeys.teamRegistry)).map((item) => strip(item) as unknown as Team);
  }

  private invitationKey(kind: InvitationKind, inviteId: string, teamId?: string) {
    return kind === 'team' ? itemKeys.teamInvitation(teamId as string, inviteId) : itemKeys.adminInvitation(inviteId);
  }

  async saveInvitation(invitation: Invitation): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.invitationKey(invitation.kind, invitation.inviteId, invitation.teamId), type: 'invitation', ...invitation },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getInvitation(kind: InvitationKind, inviteId: string, teamId?: string): Promise<Invitation | undefined> {
    if (kind === 'team' && !teamId) return undefined;
    const item = await this.get(this.invitationKey(kind, inviteId, teamId));
    return item ? (strip(item) as unknown as Invitation) : undefined;
  }

  /** The conditional write that makes an invitation single-use. */
  private useInvitation(invitation: Invitation, userId: string, now: number) {
    return {
      Update: {
        TableName: this.tableName,
        Key: this.invitationKey(invitation.kind, invitation.inviteId, invitation.teamId),
        UpdateExpression: 'SET usedAt = :now, usedBy = :user',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
        ExpressionAttributeValues: { ':now': now, ':user': userId },
      },
    };
  }

  async acceptTeamInvitation(input: { invitation: Invitation; member: TeamMember; previous?: Team; now: number }): Promise<void> {
    const { invitation, member, previous, now } = input;
    const newTeamId = member.teamId;
    const items: Record<'invitation' | 'team' | 'member' | 'membership' | 'previousMember' | 'previousTeam', TransactItem | undefined> = {
      invitation: this.useInvitation(invitation, member.userId, now),
      team: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.team(newTeamId),
          UpdateExpression: 'ADD memberCount :one',
          // A team left without members is being cleaned up (its credentials deleted): nobody joins it again.
          ConditionExpression: 'attribute_exists(pk) AND memberCount > :zero',
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        },
      },
      member: { Put: { TableName: this.tableName, Item: { ...itemKeys.teamMember(newTeamId, member.userId), type: 'team-member', ...member } } },
      membership: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.portalMembership(member.userId),
          UpdateExpression: 'SET teamId = :team, userId = :user, #type = :type',
          ConditionExpression: previous ? 'teamId = :previous' : 'attribute_not_exists(teamId)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':team': newTeamId,
            ':user': member.userId,
            ':type': 'portal-membership',
            ...(previous ? { ':previous': previous.teamId } : {}),
          },
        },
      },
      previousMember: undefined,
      previousTeam: undefined,
    };
    if (previous) {
      items.previousMember = { Delete: { TableName: this.tableName, Key: itemKeys.teamMember(previous.teamId, member.userId) } };
      if (previous.memberCount <= 1) {
        // The user was its only member and it holds no credentials: an empty team is removed, not left behind.
        items.previousTeam = {
          Delete: {
            TableName: this.tableName,
            Key: itemKeys.team(previous.teamId),
            ConditionExpression: 'memberCount <= :one AND credentialCount = :zero',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
          },
        };
      } else {
        items.previousTeam = {
          Update: {
            TableName: this.tableName,
            Key: itemKeys.team(previous.teamId),
            UpdateExpression: 'ADD memberCount :minus',
            ConditionExpression: 'memberCount > :one',
            ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
          },
        };
      }
    }
    const transaction = namedTransaction(items);
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (!cancelled) throw error;
      if (cancelled.conditionFailed('invitation')) throw new InvalidInvitationError('This invitation has already been used or has expired. Ask for a new one.');
      if (cancelled.conditionFailed('team')) throw new InvalidInvitationError('The team of this invitation no longer exists.');
      throw new ConflictError('Your team changed while you were joining; please try again.', { cause: error });
    }
  }

  async acceptAdminInvitation(input: { invitation: Invitation; userId: string; now: number; audit: AuditRecord }): Promise<void> {
    const transaction = namedTransaction({
      invitation: this.useInvitation(input.invitation, input.userId, input.now),
      membership: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.portalMembership(input.userId),
          UpdateExpression: 'ADD #permissions :admin SET userId = :user, #type = :type',
          ExpressionAttributeNames: { '#permissions': 'permissions', '#type': 'type' },
          ExpressionAttributeValues: {
            ':admin': new Set([input.invitation.kind === 'user-admin' ? USER_ADMIN : PORTAL_ADMIN]),
            ':user': input.userId,
            ':type': 'portal-membership',
          },
        },
      },
      // The grant's audit entry: no permission without it.
      ...auditPuts(this.tableName, input.audit),
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('invitation'))
        throw new InvalidInvitationError('This invitation has already been used or has expired. Ask for a new one.');
      if (cancelled) throw new ConflictError('Your account changed while accepting the invitation; please try again.', { cause: error });
      throw error;
    }
  }

  async listAdminInvitations(): Promise<Invitation[]> {
    return (await this.query(itemKeys.adminInvitationPartition)).map((item) => strip(item) as unknown as Invitation);
  }

  async withdrawAdminInvitation(inviteId: string): Promise<boolean> {
    return this.deletePending(itemKeys.adminInvitation(inviteId));
  }

  async recordAddressGrant(userId: string, marker: string, audit: AuditRecord): Promise<boolean> {
    const transaction = namedTransaction({
      membership: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.portalMembership(userId),
          UpdateExpression: 'ADD recordedGrants :marker SET userId = :user, #type = :type',
          // Recorded once: a concurrent first use finds the marker and leaves the entry it wrote alone.
          ConditionExpression: 'attribute_not_exists(recordedGrants) OR NOT contains(recordedGrants, :name)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':marker': new Set([marker]), ':name': marker, ':user': userId, ':type': 'portal-membership' },
        },
      },
      ...auditPuts(this.tableName, audit),
    });
    try {
      await transaction.write(this.db);
      return true;
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('membership')) return false;
      // A concurrent first request (the portal page loads several at once) recording the same grant: its entry stands.
      if (cancelled?.conflicted && (await this.getMembership(userId))?.recordedGrants?.includes(marker)) return false;
      if (cancelled) throw new ConflictError('Your account changed meanwhile; please try again.', { cause: error });
      throw error;
    }
  }

  /** Deletes an invitation only while it is pending: a used one is history (its member joined, its admin was granted). */
  private async deletePending(key: { pk: string; sk: string }): Promise<boolean> {
    try {
      await guarded(() =>
        this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)' })),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  async withdrawInvitation(teamId: string, inviteId: string): Promise<boolean> {
    return this.deletePending(itemKeys.teamInvitation(teamId, inviteId));
  }

  async removeMember(teamId: string, userId: string): Promise<void> {
    const membership = await this.getMembership(userId);
    const transaction = namedTransaction({
      member: { Delete: { TableName: this.tableName, Key: itemKeys.teamMember(teamId, userId), ConditionExpression: 'attribute_exists(pk)' } },
      team: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.team(teamId),
          UpdateExpression: 'ADD memberCount :minus',
          ConditionExpression: 'memberCount > :one',
          ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
        },
      },
      // A member whose account was deleted has no membership left to clear.
      membership:
        membership?.teamId === teamId
          ? {
              Update: {
                TableName: this.tableName,
                Key: itemKeys.portalMembership(userId),
                UpdateExpression: 'REMOVE teamId',
                ConditionExpression: 'teamId = :team',
                ExpressionAttributeValues: { ':team': teamId },
              },
            }
          : undefined,
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (!cancelled) throw error;
      if (cancelled.conditionFailed('member')) throw new NotFoundError('Your team has no member with this user id.');
      if (cancelled.conditionFailed('team'))
        throw new ConflictError('The last member of a team cannot be removed: its credentials would be left without anyone to manage them.');
      throw new ConflictError('The team changed meanwhile; please try again.', { cause: error });
    }
  }

  async reserveCredential(teamId: string, reservation: { operationId: string; expiresAt: number }, maxPerTeam: number, nowSeconds: number): Promise<void> {
    try {
      await this.writeReservation(teamId, reservation, maxPerTeam);
    } catch (error) {
      if (!(error instanceof ConflictError) || !(await this.releaseLapsedReservations(teamId, nowSeconds))) throw error;
      await this.writeReservation(teamId, reservation, maxPerTeam);
    }
  }

  private async writeReservation(teamId: string, reservation: { operationId: string; expiresAt: number }, maxPerTeam: number): Promise<void> {
    const transaction = namedTransaction({
      team: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.team(teamId),
          UpdateExpression: 'ADD credentialCount :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(credentialCount) OR credentialCount < :max)',
          ExpressionAttributeValues: { ':one': 1, ':max': maxPerTeam },
        },
      },
      reservation: {
        Put: {
          TableName: this.tableName,
          Item: { ...itemKeys.credentialReservation(teamId, reservation.operationId), type: 'credential-reservation', teamId, ...reservation },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('team')) {
        const { Item: team } = await guarded(() =>
          this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.team(teamId), ConsistentRead: true })),
        );
        if (!team) throw new ConflictError('Your team no longer exists; reload the portal.', { cause: error });
        throw new ConflictError(
          `Your team already has ${Number(team.credentialCount ?? 0)} credentials, the most a team may hold. Delete one you no longer use first.`,
          { cause: error },
        );
      }
      if (cancelled) throw new ConflictError('The team changed meanwhile; please try again.', { cause: error });
      throw error;
    }
  }

  /** Gives back the count of creates that never finished (a function stopped mid-way); true when any was released. */
  private async releaseLapsedReservations(teamId: string, nowSeconds: number): Promise<boolean> {
    const reservations = await queryPartition(this.db, this.tableName, itemKeys.teamPartition(teamId), 'RESERVATION#');
    const lapsed = reservations.filter((item) => Number(item.expiresAt) < nowSeconds);
    for (const item of lapsed) await this.releaseCredential(teamId, item.operationId as string);
    return lapsed.length > 0;
  }

  async releaseCredential(teamId: string, operationId: string): Promise<void> {
    const transaction = namedTransaction({
      reservation: {
        Delete: { TableName: this.tableName, Key: itemKeys.credentialReservation(teamId, operationId), ConditionExpression: 'attribute_exists(pk)' },
      },
      team: this.credentialCountDown(teamId),
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      // Already released (by a concurrent clean-up) or the team is gone: nothing is left to give back.
      if (transaction.cancellation(error)) return;
      throw error;
    }
  }

  async addCredential(
    record: CredentialRecord,
    reservedBy: string,
    completion?: { userId: string; keyHash: string; operationId: string; response: { statusCode: number; sealed: string } },
  ): Promise<void> {
    const transaction = namedTransaction({
      credential: {
        Put: { TableName: this.tableName, Item: { ...itemKeys.teamCredential(record.teamId, record.clientId), type: 'team-credential', ...record } },
      },
      // The count was taken by the reservation; turning it into the record keeps it.
      reservation: {
        Delete: {
          TableName: this.tableName,
          Key: itemKeys.credentialReservation(record.teamId, reservedBy),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      completion: completion ? this.completion(completion.userId, completion.keyHash, completion.operationId, completion.response) : undefined,
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('reservation'))
        throw new ConflictError('This create took too long and its place on the team lapsed; please try again.', { cause: error });
      if (cancelled?.conditionFailed('completion'))
        throw new ConflictError('This request was taken over by a retry with the same Idempotency-Key; use its answer.', { cause: error });
      if (cancelled) throw new ConflictError('The team changed meanwhile; please try again.', { cause: error });
      throw error;
    }
  }

  async removeCredential(teamId: string, clientId: string): Promise<void> {
    const transaction = namedTransaction({
      credential: { Delete: { TableName: this.tableName, Key: itemKeys.teamCredential(teamId, clientId), ConditionExpression: 'attribute_exists(pk)' } },
      team: this.credentialCountDown(teamId),
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      // Never recorded (or already forgotten by a concurrent delete): nothing to do.
      if (cancelled?.conditionFailed('credential')) return;
      if (cancelled?.conditionFailed('team')) {
        await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.teamCredential(teamId, clientId) })));
        return;
      }
      throw error;
    }
  }

  /** One credential (or reservation) fewer on the team, never below zero. */
  private credentialCountDown(teamId: string): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: itemKeys.team(teamId),
        UpdateExpression: 'ADD credentialCount :minus',
        ConditionExpression: 'credentialCount > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      },
    };
  }

  private completion(userId: string, keyHash: string, operationId: string, response: { statusCode: number; sealed: string }) {
    return {
      Update: {
        TableName: this.tableName,
        Key: itemKeys.idempotency(userId, keyHash),
        UpdateExpression: 'SET #state = :done, #response = :response REMOVE lockedUntil',
        ConditionExpression: 'operationId = :operation',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':done': 'done', ':response': response, ':operation': operationId },
      },
    };
  }

  async beginIdempotent(record: IdempotencyRecord, now: number): Promise<BeginOutcome> {
    try {
      const result = await guarded(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...itemKeys.idempotency(record.userId, record.keyHash), type: 'idempotency', ...record },
            // New, or expired but not yet swept by TTL, or a pending attempt whose holder is presumed dead (same request only).
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :pending AND lockedUntil < :now AND fingerprint = :fingerprint)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':now': now, ':pending': 'pending', ':fingerprint': record.fingerprint },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      const old = result.Attributes;
      if (old && old.state === 'pending' && (old.expiresAt as number) >= now)
        return { outcome: 'taken-over', previous: strip(old) as unknown as IdempotencyRecord };
      return { outcome: 'started' };
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const existing = await this.get(itemKeys.idempotency(record.userId, record.keyHash));
      // Released between our write and our read: the caller may simply try again.
      if (!existing) throw new ConflictError('A request with this Idempotency-Key just finished failing; try again.');
      return { outcome: 'exists', existing: strip(existing) as unknown as IdempotencyRecord };
    }
  }

  async completeIdempotent(userId: string, keyHash: string, operationId: string, response: { statusCode: number; sealed: string }): Promise<void> {
    try {
      await guarded(() => this.db.send(new UpdateCommand(this.completion(userId, keyHash, operationId, response).Update)));
    } catch (error) {
      if (isConditionalFailure(error))
        throw new ConflictError('This request was taken over by a retry with the same Idempotency-Key; use its answer.', { cause: error });
      throw error;
    }
  }

  async releaseIdempotent(userId: string, keyHash: string, operationId: string): Promise<void> {
    try {
      await guarded(() =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: itemKeys.idempotency(userId, keyHash),
            ConditionExpression: 'operationId = :operation AND #state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':operation': operationId, ':pending': 'pending' },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }
}
