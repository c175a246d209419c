import type { AuditRecord } from '../../../lambdas/core/admin/ports';
import { USER_ADMIN } from '../../../lambdas/core/admin/ports';
import { ConflictError } from '../../../lambdas/core/errors';
import { InvalidInvitationError, type InvitationClaims } from '../../../lambdas/core/portal/invitation-tokens';
import {
  type BeginOutcome,
  type CredentialRecord,
  type Environment,
  type IdempotencyRecord,
  type IdempotencyStore,
  type Invitation,
  type InvitationKind,
  type InvitationStore,
  type ManagedClient,
  type ManagedClientWithSecret,
  type ManagedGrant,
  type ManagedUser,
  type ManagementApi,
  type Membership,
  type MembershipStore,
  PORTAL_ADMIN,
  type Team,
  type TeamCredentialStore,
  type TeamMember,
  type TeamStore,
} from '../../../lambdas/core/portal/ports';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The portal's stores (team, membership, invitation, team credential, idempotency) in memory, keeping the rules the DynamoDB store's conditions
 * keep: one personal team per user, an invitation used once and only before
 * it expires, the last member never removed, the credential count capped in
 * the same step that records a credential, idempotency records taken over
 * only when pending past their lock.
 */
export class InMemoryPortalStore implements TeamStore, MembershipStore, InvitationStore, TeamCredentialStore, IdempotencyStore {
  readonly teams = new Map<string, Team>();
  readonly members = new Map<string, TeamMember>();
  readonly memberships = new Map<string, Membership>();
  readonly invitations = new Map<string, Invitation>();
  readonly credentials = new Map<string, CredentialRecord>();
  readonly idempotency = new Map<string, IdempotencyRecord>();

  private memberKey = (teamId: string, userId: string) => `${teamId}#${userId}`;

  async getMembership(userId: string): Promise<Membership | undefined> {
    const membership = this.memberships.get(userId);
    return membership && copy(membership);
  }

  async getMemberships(userIds: string[]): Promise<Map<string, Membership>> {
    const found = new Map<string, Membership>();
    for (const userId of userIds) {
      const membership = this.memberships.get(userId);
      if (membership) found.set(userId, copy(membership));
    }
    return found;
  }

  async createPersonalTeam(team: Team, member: TeamMember): Promise<boolean> {
    if (this.memberships.get(member.userId)?.teamId) return false;
    this.teams.set(team.teamId, copy(team));
    this.members.set(this.memberKey(team.teamId, member.userId), copy(member));
    this.memberships.set(member.userId, { permissions: [], ...this.memberships.get(member.userId), userId: member.userId, teamId: team.teamId });
    return true;
  }

  async getTeam(teamId: string): Promise<Team | undefined> {
    const team = this.teams.get(teamId);
    return team && copy(team);
  }

  async getTeamContents(teamId: string): Promise<{ members: TeamMember[]; credentials: CredentialRecord[]; invitations: Invitation[] }> {
    return {
      members: [...this.members.values()].filter((member) => member.teamId === teamId).map(copy),
      credentials: [...this.credentials.values()].filter((credential) => credential.teamId === teamId).map(copy),
      invitations: [...this.invitations.values()].filter((invitation) => invitation.kind === 'team' && invitation.teamId === teamId).map(copy),
    };
  }

  async getMember(teamId: string, userId: string): Promise<TeamMember | undefined> {
    const member = this.members.get(this.memberKey(teamId, userId));
    return member && copy(member);
  }

  async listTeams(): Promise<Team[]> {
    return [...this.teams.values()].map(copy);
  }

  async saveInvitation(invitation: Invitation): Promise<void> {
    this.invitations.set(invitation.inviteId, copy(invitation));
  }

  async getInvitation(kind: InvitationKind, inviteId: string, teamId?: string): Promise<Invitation | undefined> {
    const invitation = this.invitations.get(inviteId);
    if (!invitation || invitation.kind !== kind || (kind === 'team' && invitation.teamId !== teamId)) return undefined;
    return copy(invitation);
  }

  private useInvitation(invitation: Invitation, now: number): Invitation {
    const stored = this.invitations.get(invitation.inviteId);
    if (!stored || stored.usedAt !== undefined || stored.expiresAt <= now)
      throw new InvalidInvitationError('This invitation has already been used or has expired. Ask for a new one.');
    return stored;
  }

  async acceptTeamInvitation(input: { invitation: Invitation; member: TeamMember; previous?: Team; now: number }): Promise<void> {
    const { invitation, member, previous, now } = input;
    const stored = this.useInvitation(invitation, now);
    const team = this.teams.get(member.teamId);
    if (!team || team.memberCount <= 0) throw new InvalidInvitationError('The team of this invitation no longer exists.');
    const membership = this.memberships.get(member.userId);
    if (previous ? membership?.teamId !== previous.teamId : membership?.teamId !== undefined)
      throw new ConflictError('Your team changed while you were joining; please try again.');
    stored.usedAt = now;
    stored.usedBy = member.userId;
    team.memberCount += 1;
    this.members.set(this.memberKey(member.teamId, member.userId), copy(member));
    this.memberships.set(member.userId, { permissions: [], ...membership, userId: member.userId, teamId: member.teamId });
    if (previous) {
      this.members.delete(this.memberKey(previous.teamId, member.userId));
      const left = this.teams.get(previous.teamId);
      if (left && left.memberCount <= 1) this.teams.delete(previous.teamId);
      else if (left) left.memberCount -= 1;
    }
  }

  /** Audit entries written with grants, in order. */
  readonly grantAudits: AuditRecord[] = [];

  async acceptAdminInvitation(input: { invitation: Invitation; userId: string; now: number; audit: AuditRecord }): Promise<void> {
    const stored = this.useInvitation(input.invitation, input.now);
    this.grantAudits.push(input.audit);
    stored.usedAt = input.now;
    stored.usedBy = input.userId;
    const membership = this.memberships.get(input.userId) ?? { userId: input.userId, permissions: [] };
    const permission = input.invitation.kind === 'user-admin' ? USER_ADMIN : PORTAL_ADMIN;
    this.memberships.set(input.userId, { ...membership, permissions: [...new Set([...membership.permissions, permission])] });
  }

  async listAdminInvitations(): Promise<Invitation[]> {
    return [...this.invitations.values()].filter((invitation) => invitation.kind !== 'team').map(copy);
  }

  async withdrawAdminInvitation(inviteId: string): Promise<boolean> {
    const invitation = this.invitations.get(inviteId);
    if (!invitation || invitation.kind === 'team' || invitation.usedAt !== undefined) return false;
    this.invitations.delete(inviteId);
    return true;
  }

  async recordAddressGrant(userId: string, marker: string, audit: AuditRecord): Promise<boolean> {
    const membership = this.memberships.get(userId) ?? { userId, permissions: [] };
    if (membership.recordedGrants?.includes(marker)) return false;
    this.memberships.set(userId, { ...membership, recordedGrants: [...(membership.recordedGrants ?? []), marker] });
    this.grantAudits.push(audit);
    return true;
  }

  async withdrawInvitation(teamId: string, inviteId: string): Promise<boolean> {
    const invitation = this.invitations.get(inviteId);
    if (!invitation || invitation.kind !== 'team' || invitation.teamId !== teamId || invitation.usedAt !== undefined) return false;
    this.invitations.delete(inviteId);
    return true;
  }

  async removeMember(teamId: string, userId: string): Promise<void> {
    const team = this.teams.get(teamId);
    if (!this.members.has(this.memberKey(teamId, userId)) || !team || team.memberCount <= 1) {
      throw new ConflictError('The last member of a team cannot be removed: delete its credentials instead.');
    }
    this.members.delete(this.memberKey(teamId, userId));
    team.memberCount -= 1;
    const membership = this.memberships.get(userId);
    if (membership?.teamId === teamId) this.memberships.set(userId, { userId, permissions: membership.permissions });
  }

  /** Reservations of creates in flight, by `teamId#operationId`. */
  readonly reservations = new Set<string>();

  async reserveCredential(teamId: string, reservation: { operationId: string; expiresAt: number }, maxPerTeam: number, _nowSeconds: number): Promise<void> {
    const team = this.teams.get(teamId);
    if (!team) throw new ConflictError('Your team no longer exists; reload the portal.');
    if (team.credentialCount >= maxPerTeam) {
      throw new ConflictError(`Your team already has ${team.credentialCount} credentials, the most a team may hold. Delete one you no longer use first.`);
    }
    team.credentialCount += 1;
    this.reservations.add(`${teamId}#${reservation.operationId}`);
  }

  async releaseCredential(teamId: string, operationId: string): Promise<void> {
    if (!this.reservations.delete(`${teamId}#${operationId}`)) return;
    const team = this.teams.get(teamId);
    if (team) team.credentialCount -= 1;
  }

  async addCredential(
    record: CredentialRecord,
    reservedBy: string,
    completion?: { userId: string; keyHash: string; operationId: string; response: { statusCode: number; sealed: string } },
  ): Promise<void> {
    if (!this.reservations.delete(`${record.teamId}#${reservedBy}`))
      throw new ConflictError('This create took too long and its place on the team lapsed; please try again.');
    if (completion) this.complete(completion.userId, completion.keyHash, completion.operationId, completion.response);
    this.credentials.set(record.clientId, copy(record));
  }

  async removeCredential(teamId: string, clientId: string): Promise<void> {
    const record = this.credentials.get(clientId);
    if (!record || record.teamId !== teamId) return;
    this.credentials.delete(clientId);
    const team = this.teams.get(teamId);
    if (team) team.credentialCount -= 1;
  }

  private idempotencyKey = (userId: string, keyHash: string) => `${userId}#${keyHash}`;

  async beginIdempotent(record: IdempotencyRecord, now: number): Promise<BeginOutcome> {
    const key = this.idempotencyKey(record.userId, record.keyHash);
    const old = this.idempotency.get(key);
    const stalePending = old?.state === 'pending' && old.lockedUntil < now && old.fingerprint === record.fingerprint;
    if (old && old.expiresAt >= now && !stalePending) return { outcome: 'exists', existing: copy(old) };
    this.idempotency.set(key, copy(record));
    return stalePending && old ? { outcome: 'taken-over', previous: copy(old) } : { outcome: 'started' };
  }

  private complete(userId: string, keyHash: string, operationId: string, response: { statusCode: number; sealed: string }): void {
    const record = this.idempotency.get(this.idempotencyKey(userId, keyHash));
    if (!record || record.operationId !== operationId)
      throw new ConflictError('This request was taken over by a retry with the same Idempotency-Key; use its answer.');
    record.state = 'done';
    record.response = copy(response);
  }

  async completeIdempotent(userId: string, keyHash: string, operationId: string, response: { statusCode: number; sealed: string }): Promise<void> {
    this.complete(userId, keyHash, operationId, response);
  }

  async releaseIdempotent(userId: string, keyHash: string, operationId: string): Promise<void> {
    const key = this.idempotencyKey(userId, keyHash);
    if (this.idempotency.get(key)?.operationId === operationId) this.idempotency.delete(key);
  }
}

/**
 * One Auth0 tenant's Management API in memory. `failNext` makes the next call
 * of a method throw the given error, the way a partner outage would.
 */
export class InMemoryTenant implements ManagementApi {
  readonly clients = new Map<string, ManagedClientWithSecret>();
  readonly grants = new Map<string, ManagedGrant>();
  readonly users: ManagedUser[] = [];
  private readonly failures = new Map<keyof ManagementApi, Error>();
  private sequence = 0;

  constructor(readonly environment: Environment) {}

  failNext(method: keyof ManagementApi, error: Error): void {
    this.failures.set(method, error);
  }

  private enter(method: keyof ManagementApi): void {
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }

  private next(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${this.environment}${String(this.sequence).padStart(20, '0')}`;
  }

  async tokenUrl(): Promise<string> {
    this.enter('tokenUrl');
    return `https://${this.environment}.tenant.example/oauth/token`;
  }

  async createClient(input: { name: string; metadata: Record<string, string> }): Promise<ManagedClientWithSecret> {
    this.enter('createClient');
    const client = {
      clientId: this.next('client'),
      clientSecret: this.next('secret'),
      name: input.name,
      appType: 'non_interactive',
      metadata: { ...input.metadata },
    };
    this.clients.set(client.clientId, client);
    return copy(client);
  }

  private withoutSecret({ clientSecret: _secret, ...client }: ManagedClientWithSecret): ManagedClient {
    return copy(client);
  }

  async getClient(clientId: string): Promise<ManagedClient | undefined> {
    this.enter('getClient');
    const client = this.clients.get(clientId);
    return client && this.withoutSecret(client);
  }

  async listClients(): Promise<ManagedClient[]> {
    this.enter('listClients');
    return [...this.clients.values()].map((client) => this.withoutSecret(client));
  }

  async rotateSecret(clientId: string): Promise<ManagedClientWithSecret | undefined> {
    this.enter('rotateSecret');
    const client = this.clients.get(clientId);
    if (!client) return undefined;
    client.clientSecret = this.next('secret');
    return copy(client);
  }

  async deleteClient(clientId: string): Promise<void> {
    this.enter('deleteClient');
    this.clients.delete(clientId);
  }

  async createGrant(input: { clientId: string; audience: string; scope: string[] }): Promise<ManagedGrant> {
    this.enter('createGrant');
    const grant = { id: this.next('grant'), ...copy(input) };
    this.grants.set(grant.id, grant);
    return copy(grant);
  }

  async listGrants(filter?: { clientId?: string }): Promise<ManagedGrant[]> {
    this.enter('listGrants');
    return [...this.grants.values()].filter((grant) => !filter?.clientId || grant.clientId === filter.clientId).map(copy);
  }

  async deleteGrant(grantId: string): Promise<void> {
    this.enter('deleteGrant');
    this.grants.delete(grantId);
  }

  async usersByEmail(email: string): Promise<ManagedUser[]> {
    this.enter('usersByEmail');
    return this.users.filter((user) => user.email === email).map(copy);
  }
}

/**
 * Invitation links without the signing keys: a token is an opaque name for
 * the claims it was signed with; anything not signed here is refused as a
 * forged link would be.
 */
export class InMemoryInvitationTokens {
  private readonly signed = new Map<string, InvitationClaims>();

  async sign(invitation: Invitation): Promise<string> {
    const token = `invite.${invitation.inviteId}`;
    this.signed.set(token, { inviteId: invitation.inviteId, kind: invitation.kind, ...(invitation.teamId ? { teamId: invitation.teamId } : {}) });
    return token;
  }

  async verify(token: string): Promise<InvitationClaims> {
    const claims = this.signed.get(token);
    if (!claims) throw new InvalidInvitationError();
    return copy(claims);
  }
}
