import type { AuditRecord } from '../admin/ports';

/**
 * What the developer portal needs from the outside world: a Management API
 * per Auth0 tenant, and one store each for teams, memberships, invitations,
 * the team credential index and idempotency records. Adapters:
 * `adapters/auth0/` and `adapters/dynamo/` (team-store, membership-store,
 * invitation-store, team-credential-store, idempotency-store; their items in
 * portal-items.ts).
 */

/** The two Auth0 tenants credentials live in. */
export const ENVIRONMENTS = ['sandbox', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The permission that makes a user a portal admin (as in the reference portal's `app_metadata.permissions`). */
export const PORTAL_ADMIN = 'portal-admin';

/** An Auth0 client as the portal sees it (never its secret). */
export interface ManagedClient {
  clientId: string;
  name: string;
  appType?: string;
  /** Auth0 `client_metadata`: string values only. */
  metadata: Record<string, string>;
}

export interface ManagedClientWithSecret extends ManagedClient {
  clientSecret: string;
}

export interface ManagedGrant {
  id: string;
  clientId: string;
  audience: string;
  scope: string[];
}

/** One tenant's Management API. Failures are domain errors (Partner*Error, ServiceUnavailableError). */
export interface ManagementApi {
  readonly environment: Environment;
  /** Where the tenant's clients get tokens: `https://{domain}/oauth/token`. */
  tokenUrl(): Promise<string>;
  createClient(input: { name: string; metadata: Record<string, string> }): Promise<ManagedClientWithSecret>;
  /** undefined when the client does not exist. */
  getClient(clientId: string): Promise<ManagedClient | undefined>;
  /** Every machine-to-machine client of the tenant, all pages. */
  listClients(): Promise<ManagedClient[]>;
  /** undefined when the client does not exist. */
  rotateSecret(clientId: string): Promise<ManagedClientWithSecret | undefined>;
  /** Idempotent: deleting a missing client succeeds. */
  deleteClient(clientId: string): Promise<void>;
  createGrant(input: { clientId: string; audience: string; scope: string[] }): Promise<ManagedGrant>;
  /** All pages; only the client's grants when `clientId` is given. */
  listGrants(filter?: { clientId?: string }): Promise<ManagedGrant[]>;
  /** Idempotent. */
  deleteGrant(grantId: string): Promise<void>;
  /** Users of the tenant with exactly this email (Auth0's users-by-email), with their app_metadata. */
  usersByEmail(email: string): Promise<ManagedUser[]>;
}

/** An Auth0 user as the admin lookup sees it. */
export interface ManagedUser {
  userId: string;
  email: string;
  appMetadata: Record<string, unknown>;
}

export interface Team {
  teamId: string;
  name: string;
  /** Made automatically for a user's first use of the portal. */
  personal: boolean;
  createdBy: string;
  createdAt: number;
  memberCount: number;
  credentialCount: number;
}

export interface TeamMember {
  teamId: string;
  userId: string;
  email: string;
  joinedAt: number;
  /** Who invited this member; absent for the team's creator. */
  invitedBy?: string;
}

/** The user's side of portal membership: which team, and portal permissions. */
export interface Membership {
  userId: string;
  /** Absent before first use, or when a permission was granted by hand before the user ever opened the portal. */
  teamId?: string;
  permissions: string[];
  /** Address grants (role:source) already audited: PORTAL_ADMIN_EMAILS, USER_ADMIN_EMAILS or Auth0 first used. */
  recordedGrants?: string[];
}

/** `admin` grants portal-admin; `user-admin` grants the operator console's permission. */
export type InvitationKind = 'team' | 'admin' | 'user-admin';

export interface Invitation {
  inviteId: string;
  kind: InvitationKind;
  /** The team joined (team invitations). */
  teamId?: string;
  /** Only the account with this email may accept it. */
  email: string;
  /** The inviter's email, as shown to the team. */
  invitedBy: string;
  /** The inviter's user id: the invitation dies when they leave the team (absent on invitations made before this was kept). */
  invitedByUserId?: string;
  createdAt: number;
  /** Epoch seconds; also the item's TTL. */
  expiresAt: number;
  usedAt?: number;
  usedBy?: string;
}

/** The team's record of a credential it created (the Auth0 client stays the source of truth). */
export interface CredentialRecord {
  teamId: string;
  clientId: string;
  environment: Environment;
  name: string;
  audiences: string[];
  createdBy: string;
  createdAt: number;
}

/** A stored answer to a request sent with an Idempotency-Key. */
export interface IdempotencyRecord {
  userId: string;
  /** Derived from the key; the key itself is never stored. */
  keyHash: string;
  /** Hash of what the request asked for; a key reused for another request is refused. */
  fingerprint: string;
  /** Unique per attempt; Auth0 clients are tagged with it so a crashed attempt can be cleaned up. */
  operationId: string;
  state: 'pending' | 'done';
  /** Epoch seconds until which a pending attempt is presumed alive. */
  lockedUntil: number;
  /** The first answer, sealed with a key only the caller's Idempotency-Key can derive. */
  response?: { statusCode: number; sealed: string };
  expiresAt: number;
}

export type BeginOutcome = { outcome: 'started' } | { outcome: 'taken-over'; previous: IdempotencyRecord } | { outcome: 'exists'; existing: IdempotencyRecord };

/** Teams and their members: the caller's team, its contents, the admin's list. */
export interface TeamStore {
  /** Creates the team, its first member and the user's membership in one transaction; false when the user already has a team. */
  createPersonalTeam(team: Team, member: TeamMember): Promise<boolean>;
  getTeam(teamId: string): Promise<Team | undefined>;
  /** Members, credential records and pending invitations of a team (one query). */
  getTeamContents(teamId: string): Promise<{ members: TeamMember[]; credentials: CredentialRecord[]; invitations: Invitation[] }>;
  getMember(teamId: string, userId: string): Promise<TeamMember | undefined>;
  listTeams(): Promise<Team[]>;
  /** Takes the member off the team; refuses (ConflictError) to remove the last member. */
  removeMember(teamId: string, userId: string): Promise<void>;
}

/** A user's portal membership: their team and permissions (and the role grants recorded for their address). */
export interface MembershipStore {
  getMembership(userId: string): Promise<Membership | undefined>;
  /** Memberships of several users, by user id (users without one are absent). */
  getMemberships(userIds: string[]): Promise<Map<string, Membership>>;
  /** See AddressGrantStore (core/admin/role-grants.ts). */
  recordAddressGrant(userId: string, marker: string, audit: AuditRecord): Promise<boolean>;
}

/** Team, admin and user-admin invitations, and their acceptance. */
export interface InvitationStore {
  saveInvitation(invitation: Invitation): Promise<void>;
  getInvitation(kind: InvitationKind, inviteId: string, teamId?: string): Promise<Invitation | undefined>;
  /**
   * Marks the invitation used and moves the user into its team, in one
   * transaction: off their old team (deleting it when it is left empty and
   * holds no credentials), onto the new one. Throws ConflictError when the
   * invitation was used meanwhile or anything changed under us.
   */
  acceptTeamInvitation(input: { invitation: Invitation; member: TeamMember; previous?: Team; now: number }): Promise<void>;
  /** Marks the invitation used, adds the permission of its kind (portal-admin or user-admin) and writes the grant's audit entry, in one transaction. */
  acceptAdminInvitation(input: { invitation: Invitation; userId: string; now: number; audit: AuditRecord }): Promise<void>;
  /** Pending and past admin and user-admin invitations (expired ones until the table's TTL removes them). */
  listAdminInvitations(): Promise<Invitation[]>;
  /** Deletes a pending (unused) admin or user-admin invitation; false when there was none. */
  withdrawAdminInvitation(inviteId: string): Promise<boolean>;
  /** Deletes a pending (unused) team invitation; false when there was none. */
  withdrawInvitation(teamId: string, inviteId: string): Promise<boolean>;
}

/** The team's index of its Auth0 credentials, counted before Auth0 is asked. */
export interface TeamCredentialStore {
  /**
   * Counts a credential about to be made on the team, before Auth0 is asked:
   * one conditional write (ConflictError when the team already holds
   * `maxPerTeam`, counting other creates in flight), so a burst of creates
   * reaches Auth0 at most as often as the team has room. The reservation
   * (`operationId`) lapses at `expiresAt` if its create never finishes: a full
   * team first gives back lapsed reservations (as of `nowSeconds`), then retries once.
   */
  reserveCredential(teamId: string, reservation: { operationId: string; expiresAt: number }, maxPerTeam: number, nowSeconds: number): Promise<void>;
  /** Gives a reservation's count back after a failed create (no-op when it is gone). */
  releaseCredential(teamId: string, operationId: string): Promise<void>;
  /**
   * Records a new credential under its reservation (already counted) and
   * completes the idempotency record in the same transaction.
   */
  addCredential(
    record: CredentialRecord,
    reservedBy: string,
    completion?: { userId: string; keyHash: string; operationId: string; response: { statusCode: number; sealed: string } },
  ): Promise<void>;
  /** Forgets a credential (no-op when it was never recorded). */
  removeCredential(teamId: string, clientId: string): Promise<void>;
}

/** Idempotency-Key records of the portal and the console (core/idempotent.ts runs them). */
export interface IdempotencyStore {
  beginIdempotent(record: IdempotencyRecord, now: number): Promise<BeginOutcome>;
  completeIdempotent(userId: string, keyHash: string, operationId: string, response: { statusCode: number; sealed: string }): Promise<void>;
  /** Drops a pending record after a failure, so the same key may be retried. */
  releaseIdempotent(userId: string, keyHash: string, operationId: string): Promise<void>;
}
