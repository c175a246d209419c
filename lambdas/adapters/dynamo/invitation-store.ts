import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../core/admin/ports';
import { USER_ADMIN } from '../../core/admin/ports';
import { ConflictError } from '../../core/errors';
import { InvalidInvitationError } from '../../core/portal/invitation-tokens';
import { type Invitation, type InvitationKind, type InvitationStore, PORTAL_ADMIN, type Team, type TeamMember } from '../../core/portal/ports';
import { auditPuts } from './audit-store';
import { guarded, isConditionalFailure } from './client';
import { invitationKey, PortalTable, strip } from './portal-items';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem } from './transaction';

/** Team, admin and user-admin invitations: single use, accepted in one transaction with what they grant. */
export class DynamoInvitationStore extends PortalTable implements InvitationStore {
  async saveInvitation(invitation: Invitation): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...invitationKey(invitation.kind, invitation.inviteId, invitation.teamId), type: 'invitation', ...invitation },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getInvitation(kind: InvitationKind, inviteId: string, teamId?: string): Promise<Invitation | undefined> {
    if (kind === 'team' && !teamId) return undefined;
    const item = await this.get(invitationKey(kind, inviteId, teamId));
    return item ? (strip(item) as unknown as Invitation) : undefined;
  }

  /** The conditional write that makes an invitation single-use. */
  private useInvitation(invitation: Invitation, userId: string, now: number) {
    return {
      Update: {
        TableName: this.tableName,
        Key: invitationKey(invitation.kind, invitation.inviteId, invitation.teamId),
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
}
