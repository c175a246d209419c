import type { Environment, InvitationKind, Team } from './ports';

/**
 * What the portal's endpoints answer, field by field (the JSON the page and
 * API clients read). Times are ISO-8601 strings.
 */

/** A credential as the API shows it: never a secret. */
export interface CredentialView {
  client_id: string;
  name: string;
  environment: Environment;
  audiences: string[];
  created_at: string | null;
  created_by: string | null;
}

export interface EnvironmentView {
  available: boolean;
  token_url?: string;
  audiences: string[];
  message?: string;
}

/** GET /portal/credentials. */
export interface CredentialListView {
  credentials: CredentialView[];
  environments: Record<Environment, EnvironmentView>;
}

/** What an answer that issues a client secret carries: the only answers that ever show one. */
interface IssuedSecretView {
  client_id: string;
  client_secret: string;
  name: string;
  environment: Environment;
  token_url: string;
  audiences: string[];
}

/** POST /portal/credentials: the only answer that carries the new secret. */
export interface CreatedCredentialView extends IssuedSecretView {
  created_at: string;
}

/** POST /portal/credentials/{clientId}/rotate: the only answer that carries the new secret. */
export interface RotatedCredentialView extends IssuedSecretView {
  rotated_at: string;
}

export interface TeamSummaryView {
  id: string;
  name: string;
  personal: boolean;
  created_at: string;
  member_count: number;
  credential_count: number;
}

export interface MemberView {
  user_id: string;
  email: string;
  joined_at: string;
  /** True on the caller's own row. */
  you: boolean;
}

export interface PendingInvitationView {
  id: string;
  email: string;
  expires_at: string;
  invited_by: string;
}

/** GET /portal/team. */
export interface TeamView {
  team: TeamSummaryView;
  members: MemberView[];
  invitations: PendingInvitationView[];
  you: { user_id: string; email: string; permissions: string[]; is_admin: boolean; locale?: string };
}

/** POST /portal/team/invitations and /portal/admin/invitations. */
export interface InvitationView {
  id: string;
  kind: InvitationKind;
  email: string;
  expires_at: string;
  invitation_url: string;
  token: string;
  /** False when no mailer is configured or the send failed: the inviter still has the link. */
  emailed: boolean;
  /** Team invitations only. */
  team?: TeamSummaryView;
}

/** GET /portal/admin/invitations: the pending admin and user-admin invitations. */
export interface AdminInvitationsView {
  invitations: (PendingInvitationView & { kind: 'admin' | 'user-admin'; created_at: string })[];
}

/** POST /portal/team/join. */
export type JoinView = { joined: 'team'; team: TeamSummaryView } | { joined: 'admin' | 'user-admin'; permissions: string[]; team: TeamSummaryView };

/** A portal-tagged client whose team no longer exists. */
export interface UnassignedCredentialView extends CredentialView {
  team_id: string;
}

/** GET /portal/admin/teams. */
export interface AdminTeamsView {
  teams: (TeamSummaryView & { credentials: CredentialView[] })[];
  unassigned_credentials: UnassignedCredentialView[];
  environments: Record<Environment, EnvironmentView>;
}

export const iso = (epoch: number): string => new Date(epoch * 1000).toISOString();

export function teamSummaryView(team: Team): TeamSummaryView {
  return {
    id: team.teamId,
    name: team.name,
    personal: team.personal,
    created_at: iso(team.createdAt),
    member_count: team.memberCount,
    credential_count: team.credentialCount,
  };
}

/** a***@example.com: enough to recognise an address without spelling it out to the wrong person. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
