import { normalizeEmail } from '../email';
import { NotFoundError } from '../errors';
import type { Caller } from './caller';
import { nowOf, type PortalDependencies } from './dependencies';
import { PORTAL_ADMIN } from './ports';
import { iso, type TeamView, teamSummaryView } from './views';

/**
 * The caller's team: its members and pending invitations. Members of a team
 * are peers, as in the reference portal: everyone on it was invited by
 * someone on it, and any of them may remove a teammate, leave, or withdraw a
 * pending invitation.
 */
export class TeamMembers {
  constructor(private readonly deps: Pick<PortalDependencies, 'invites' | 'memberships' | 'teams' | 'clock'>) {}

  /** GET /portal/team: the team, its members and its pending invitations. */
  async view(caller: Caller): Promise<TeamView> {
    const { members: recorded, invitations } = await this.deps.teams.getTeamContents(caller.team.teamId);
    // A member whose account was deleted has lost their membership (it lived in their partition): not shown.
    const memberships = await this.deps.memberships.getMemberships(recorded.map((member) => member.userId));
    const members = recorded.filter((member) => memberships.get(member.userId)?.teamId === caller.team.teamId);
    const now = nowOf(this.deps);
    return {
      team: teamSummaryView(caller.team),
      members: members
        .sort((a, b) => a.joinedAt - b.joinedAt)
        .map((member) => ({ user_id: member.userId, email: member.email, joined_at: iso(member.joinedAt), you: member.userId === caller.userId })),
      invitations: invitations
        .filter((invitation) => !invitation.usedAt && invitation.expiresAt > now)
        .map((invitation) => ({ id: invitation.inviteId, email: invitation.email, expires_at: iso(invitation.expiresAt), invited_by: invitation.invitedBy })),
      you: {
        user_id: caller.userId,
        email: caller.email,
        permissions: caller.isAdmin ? [...new Set([...caller.permissions, PORTAL_ADMIN])] : caller.permissions,
        is_admin: caller.isAdmin,
        // The page follows the account's language when the visitor chose none (one answer it loads anyway).
        ...(caller.locale ? { locale: caller.locale } : {}),
      },
    };
  }

  /** DELETE /portal/team/invitations/{inviteId}: any member may withdraw a pending invitation of the team. */
  async withdrawInvitation(caller: Caller, inviteId: string): Promise<void> {
    const withdrawn = /^[A-Za-z0-9_-]{1,64}$/.test(inviteId) && (await this.deps.invites.withdrawInvitation(caller.team.teamId, inviteId));
    if (!withdrawn) throw new NotFoundError('Your team has no pending invitation with this id.');
  }

  /** DELETE /portal/team/members/{userId}. The last member cannot be removed: the team's credentials would be stranded. */
  async removeMember(caller: Caller, userId: string): Promise<void> {
    const member = /^[A-Za-z0-9_-]{1,64}$/.test(userId) ? await this.deps.teams.getMember(caller.team.teamId, userId) : undefined;
    if (!member) throw new NotFoundError('Your team has no member with this user id.');
    await this.deps.teams.removeMember(caller.team.teamId, userId);
    await this.withdrawInvitationsBy(caller.team.teamId, member);
  }

  /** A removed member's pending invitations go with them (joining re-checks the sender too, for any that races this). */
  private async withdrawInvitationsBy(teamId: string, member: { userId: string; email: string }): Promise<void> {
    const { invitations } = await this.deps.teams.getTeamContents(teamId);
    const theirs = invitations.filter(
      (invitation) =>
        !invitation.usedAt &&
        (invitation.invitedByUserId ? invitation.invitedByUserId === member.userId : normalizeEmail(invitation.invitedBy) === normalizeEmail(member.email)),
    );
    for (const invitation of theirs) await this.deps.invites.withdrawInvitation(teamId, invitation.inviteId);
  }
}
