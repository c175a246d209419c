import { USER_ADMIN } from '../admin/ports';
import { prepareGrantAudit } from '../admin/role-grants';
import { normalizeEmail } from '../email';
import { invitationEmail } from '../emails';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { MailLimitError } from '../mail-limits';
import { newId } from '../random';
import { adminByAddress, type Caller, requireAdmin } from './caller';
import { nowOf, type PortalDependencies } from './dependencies';
import type { IdempotentRequests, Outcome } from './idempotent-requests';
import { InvalidInvitationError } from './invitation-tokens';
import { type Invitation, type InvitationKind, PORTAL_ADMIN } from './ports';
import { type AdminInvitationsView, type InvitationView, iso, type JoinView, maskEmail, teamSummaryView } from './views';

const WITHDRAWN = 'This invitation no longer exists. Ask for a new one.';

/**
 * Invitation links: to join a team, or to become a portal admin or an
 * operator (user-admin). A link is bound to one email address, and only the
 * proven owner of that address may accept it.
 */
export class Invitations {
  constructor(
    private readonly deps: Pick<
      PortalDependencies,
      'invites' | 'memberships' | 'teams' | 'invitations' | 'clock' | 'settings' | 'log' | 'verification' | 'mailer' | 'profiles' | 'adminDirectory' | 'audit'
    >,
    private readonly idempotent: IdempotentRequests,
  ) {}

  /** POST /portal/team/invitations: a link that lets `email` join the caller's team. */
  inviteTeammate(caller: Caller, email: string, idempotencyKey?: string): Promise<Outcome<InvitationView>> {
    return this.invite(caller, 'team', email, idempotencyKey);
  }

  /** POST /portal/admin/invitations: a link that makes `email` a portal admin (or, with kind user-admin, an operator). Admins only. */
  async inviteAdmin(caller: Caller, email: string, idempotencyKey?: string, kind: 'admin' | 'user-admin' = 'admin'): Promise<Outcome<InvitationView>> {
    requireAdmin(caller);
    return this.invite(caller, kind, email, idempotencyKey);
  }

  /** GET /portal/admin/invitations: pending admin and user-admin invitations, oldest first. Admins only. */
  async adminInvitations(caller: Caller): Promise<AdminInvitationsView> {
    requireAdmin(caller);
    const now = nowOf(this.deps);
    const pending = (await this.deps.invites.listAdminInvitations()).filter((invitation) => !invitation.usedAt && invitation.expiresAt > now);
    return {
      invitations: pending
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((invitation) => ({
          id: invitation.inviteId,
          kind: invitation.kind as 'admin' | 'user-admin',
          email: invitation.email,
          invited_by: invitation.invitedBy,
          created_at: iso(invitation.createdAt),
          expires_at: iso(invitation.expiresAt),
        })),
    };
  }

  /** DELETE /portal/admin/invitations/{inviteId}: any portal admin may withdraw a pending admin or user-admin invitation. */
  async withdrawAdminInvitation(caller: Caller, inviteId: string): Promise<void> {
    requireAdmin(caller);
    const withdrawn = /^[A-Za-z0-9_-]{1,64}$/.test(inviteId) && (await this.deps.invites.withdrawAdminInvitation(inviteId));
    if (!withdrawn) throw new NotFoundError('There is no pending admin invitation with this id.');
  }

  /** POST /portal/team/join: accepts an invitation (team or admin) for the signed-in caller. */
  async join(caller: Caller, token: string): Promise<JoinView> {
    const claims = await this.deps.invitations.verify(token);
    // The invitation is bound to an email: only its proven owner may accept it.
    await this.deps.verification.requireVerified(caller.userId);
    const invitation = await this.deps.invites.getInvitation(claims.kind, claims.inviteId, claims.teamId);
    if (!invitation) throw new InvalidInvitationError(WITHDRAWN);
    const now = nowOf(this.deps);
    const alreadyAccepted = invitation.usedAt !== undefined && invitation.usedBy === caller.userId;
    if (invitation.usedAt !== undefined && !alreadyAccepted) throw new InvalidInvitationError('This invitation has already been used. Ask for a new one.');
    if (invitation.expiresAt <= now && !alreadyAccepted) throw new InvalidInvitationError('This invitation has expired. Ask for a new one.');
    if (normalizeEmail(invitation.email) !== caller.email) {
      throw new ForbiddenError(`This invitation was sent to ${maskEmail(invitation.email)}. Sign in with that account to accept it.`);
    }
    if (invitation.kind === 'admin' || invitation.kind === 'user-admin') {
      // A demoted sender's invitation is as good as withdrawn, and says so in the same words: nothing to tell apart.
      if (!alreadyAccepted && !(await this.senderStillAdmin(invitation))) throw new InvalidInvitationError(WITHDRAWN);
      if (!alreadyAccepted) await this.grantByInvitation(invitation, caller, now);
      return {
        joined: invitation.kind,
        permissions: [...new Set([...caller.permissions, invitation.kind === 'admin' ? PORTAL_ADMIN : USER_ADMIN])],
        team: teamSummaryView(caller.team),
      };
    }
    const teamId = invitation.teamId as string;
    if (!alreadyAccepted && !(await this.senderStillMember(invitation))) {
      throw new InvalidInvitationError('The teammate who sent this invitation is no longer in the team. Ask a current member for a new invitation.');
    }
    if (!alreadyAccepted && caller.team.teamId !== teamId) {
      const previous = caller.team;
      if (previous.memberCount <= 1 && previous.credentialCount > 0) {
        throw new ConflictError(
          `You are the only member of "${previous.name}", which still holds ${previous.credentialCount} credential${previous.credentialCount === 1 ? '' : 's'}. Delete them, or invite a teammate to keep them, before joining another team.`,
        );
      }
      await this.deps.invites.acceptTeamInvitation({
        invitation,
        member: { teamId, userId: caller.userId, email: caller.email, joinedAt: now, invitedBy: invitation.invitedBy },
        previous,
        now,
      });
    }
    const team = await this.deps.teams.getTeam(teamId);
    if (!team) throw new InvalidInvitationError('The team of this invitation no longer exists.');
    return { joined: 'team', team: teamSummaryView(team) };
  }

  private async invite(caller: Caller, kind: InvitationKind, email: string, idempotencyKey?: string): Promise<Outcome<InvitationView>> {
    // The email goes out under the platform's name, attributed to the sender's address: only a proven one may send.
    await this.deps.verification.requireVerified(caller.userId);
    const input = { email, teamId: kind === 'team' ? caller.team.teamId : undefined };
    return this.idempotent.run<InvitationView>(caller, idempotencyKey, `invite-${kind}`, input, async () => {
      const now = nowOf(this.deps);
      const { invitationTtlSeconds, adminInvitationTtlSeconds, publicBaseUrl } = this.deps.settings;
      const invitation: Invitation = {
        inviteId: newId(),
        kind,
        ...(kind === 'team' ? { teamId: caller.team.teamId } : {}),
        email,
        invitedBy: caller.email,
        invitedByUserId: caller.userId,
        createdAt: now,
        // Rights expire sooner than team membership offers.
        expiresAt: now + (kind === 'team' ? invitationTtlSeconds : adminInvitationTtlSeconds),
      };
      const token = await this.deps.invitations.sign(invitation);
      // The token rides in the fragment: browsers never send it to a server, so it stays out of access logs and Referer headers.
      const invitationUrl = `${publicBaseUrl.replace(/\/+$/, '')}/portal#invite=${token}`;
      // Sent before it is stored: a send refused by the mail limits (429) leaves no invitation behind.
      const emailed = await this.emailInvitation(caller, invitation, invitationUrl);
      await this.deps.invites.saveInvitation(invitation);
      return {
        statusCode: 201,
        body: {
          id: invitation.inviteId,
          kind,
          email,
          expires_at: iso(invitation.expiresAt),
          invitation_url: invitationUrl,
          token,
          emailed,
          ...(kind === 'team' ? { team: teamSummaryView(caller.team) } : {}),
        },
      };
    });
  }

  /**
   * Sends the link to the invited address; the inviter still gets it in the
   * answer, so a failed send is reported, not fatal. A mail limit is the
   * exception: it refuses the invitation (429).
   */
  private async emailInvitation(caller: Caller, invitation: Invitation, link: string): Promise<boolean> {
    if (!this.deps.mailer) return false;
    try {
      await this.deps.mailer.send(
        invitationEmail({
          to: invitation.email,
          inviter: caller.email,
          kind: invitation.kind,
          ...(invitation.kind === 'team' ? { teamName: caller.team.name } : {}),
          link,
          expiresAt: iso(invitation.expiresAt),
          brand: this.deps.settings.brand,
          // The invitee may have no account yet: the email speaks the inviter's language.
          locale: caller.locale,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof MailLimitError) throw error;
      this.deps.log.warn('portal: invitation email not sent', { inviteId: invitation.inviteId, errorType: error instanceof Error ? error.name : typeof error });
      return false;
    }
  }

  /** The permission and its audit entry, in one transaction; the sender of the invitation is the grant's actor. */
  private async grantByInvitation(invitation: Invitation, caller: Caller, now: number): Promise<void> {
    const audit = prepareGrantAudit(this.deps.audit, {
      role: invitation.kind === 'user-admin' ? USER_ADMIN : PORTAL_ADMIN,
      source: 'invitation',
      targetUserId: caller.userId,
      targetEmail: caller.email,
      actor: { userId: invitation.invitedByUserId as string, email: invitation.invitedBy },
      correlationId: invitation.inviteId,
    });
    await this.deps.invites.acceptAdminInvitation({ invitation, userId: caller.userId, now, audit });
    this.deps.audit.published(audit);
  }

  /**
   * An admin invitation speaks for its sender: it is good only while they are
   * a portal admin, by the rule `Callers.resolve` applies (a stored
   * `portal-admin`, or a verified address named in PORTAL_ADMIN_EMAILS or in
   * Auth0). The stored permission is read first, so the usual sender (an admin
   * by invitation) costs one read. An invitation that does not name its
   * sender's account cannot be checked and is refused.
   */
  private async senderStillAdmin(invitation: Invitation): Promise<boolean> {
    const senderId = invitation.invitedByUserId;
    if (!senderId) return false;
    if ((await this.deps.memberships.getMembership(senderId))?.permissions.includes(PORTAL_ADMIN)) return true;
    const profile = await this.deps.profiles.getProfile(senderId);
    return !!profile && (await adminByAddress(this.deps, profile));
  }

  /** A team invitation speaks for its sender: it is good only while they are in the team. */
  private async senderStillMember(invitation: Invitation): Promise<boolean> {
    const teamId = invitation.teamId as string;
    if (invitation.invitedByUserId) return !!(await this.deps.teams.getMember(teamId, invitation.invitedByUserId));
    const { members } = await this.deps.teams.getTeamContents(teamId);
    return members.some((member) => normalizeEmail(member.email) === normalizeEmail(invitation.invitedBy));
  }
}
