import { ConflictError, NotFoundError } from '../../core/errors';
import type { CredentialRecord, Invitation, Team, TeamMember, TeamStore } from '../../core/portal/ports';
import { PortalTable, strip } from './portal-items';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

/** Teams and their members in the single table (team, member and registry items). */
export class DynamoTeamStore extends PortalTable implements TeamStore {
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

  async removeMember(teamId: string, userId: string): Promise<void> {
    const membership = await this.readMembership(userId);
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
}
