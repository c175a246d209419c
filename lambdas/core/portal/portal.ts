import { epochSeconds, type Clock } from '../clock';
import { normalizeEmail } from '../email';
import {
  ConflictError,
  FormRejectedError,
  ForbiddenError,
  NotFoundError,
  PartnerTimeoutError,
  PartnerUnavailableError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from '../errors';
import type { Mailer, UserProfile } from '../ports';
import { USER_ADMIN } from '../admin/ports';
import { isEmailVerified } from '../email-verification';
import { invitationEmail } from '../emails';
import { newId } from '../random';
import type { AudienceGrant } from './audiences';
import { idempotencyKeyHash, openResponse, requestFingerprint, sealResponse } from './idempotency';
import { InvalidInvitationError, type InvitationTokens } from './invitation-tokens';
import {
  ENVIRONMENTS,
  PORTAL_ADMIN,
  type CredentialRecord,
  type Environment,
  type Invitation,
  type InvitationKind,
  type ManagedClient,
  type ManagedGrant,
  type ManagementApi,
  type PortalStore,
  type Team,
} from './ports';

/** `client_metadata.portal` on every client the portal creates: clients without it are never the portal's. */
export const PORTAL_MARKER = 'loginbridge';

export interface PortalSettings {
  /** Emails (normalised) that are portal admins by configuration (PORTAL_ADMIN_EMAILS). */
  adminEmails: string[];
  audiences: Record<Environment, AudienceGrant[]>;
  invitationTtlSeconds: number;
  idempotencyTtlSeconds: number;
  maxCredentialsPerTeam: number;
  /** Where the portal page lives; invitation links point at it. */
  publicBaseUrl: string;
}

export interface PortalLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface PortalDependencies {
  store: PortalStore;
  /** The tenant of an environment; throws ServiceUnavailableError when it is not configured. */
  tenant(environment: Environment): ManagementApi;
  /** False when an environment has no management credentials configured. */
  tenantConfigured(environment: Environment): boolean;
  invitations: InvitationTokens;
  profiles: { getProfile(userId: string): Promise<UserProfile | undefined> };
  clock: Clock;
  settings: PortalSettings;
  log: PortalLogger;
  /** The one verified-email check (core/email-verification.ts): credentials and invitations need a proven address. */
  verification: { requireVerified(userId: string): Promise<UserProfile> };
  /** Portal admins named in Auth0 (production app_metadata.permissions); absent: none. Never throws: an outage answers false. */
  adminDirectory?: { isAdmin(email: string): Promise<boolean> };
  /** Invitations are emailed to the invited address. */
  mailer?: Mailer;
}

/** A signed-in portal user, resolved once per request. */
export interface Caller {
  userId: string;
  email: string;
  team: Team;
  permissions: string[];
  isAdmin: boolean;
  /** From the profile as stored now (not the token's claim). */
  emailVerified: boolean;
}

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

/** A handler's answer: status and body, and whether it replays a stored first answer. */
export interface Outcome<T = Record<string, unknown>> {
  statusCode: number;
  body: T;
  replayed?: boolean;
}

const GRANT_CONCURRENCY = 4;
const PENDING_LOCK_SECONDS = 60;

const iso = (epoch: number) => new Date(epoch * 1000).toISOString();

/** a***@example.com: enough to recognise an address without spelling it out to the wrong person. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

async function mapLimited<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The developer portal: teams, portal admins, and API credentials that are
 * Auth0 machine-to-machine clients in a sandbox and a production tenant.
 *
 * Rules it keeps:
 * - every signed-in user has exactly one team (a personal one on first use);
 * - a team sees, rotates and deletes only clients tagged with its id by the
 *   portal; anything else answers 404, exactly like a client that does not exist;
 * - a credential is created whole or not at all: a failed grant deletes the
 *   client (and the grants made so far) before the error is answered;
 * - secrets leave only in the answers to creation and rotation, and are
 *   stored only sealed under the caller's Idempotency-Key.
 */
export class Portal {
  constructor(private readonly deps: PortalDependencies) {}

  private get now(): number {
    return epochSeconds(this.deps.clock);
  }

  /** The caller's portal identity; creates their personal team on first use. */
  async caller(userId: string): Promise<Caller> {
    const profile = await this.deps.profiles.getProfile(userId);
    if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
    const email = normalizeEmail(profile.email);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      // Concurrent first requests (the page loads team and credentials at once) can cancel each other's
      // transactions; a short random pause lets one of them win before the next read.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 40 * attempt));
      const membership = await this.deps.store.getMembership(userId);
      const team = membership?.teamId ? await this.deps.store.getTeam(membership.teamId) : undefined;
      if (team) {
        const permissions = membership?.permissions ?? [];
        const emailVerified = isEmailVerified(profile);
        // An email grants rights only once its owner has proven it: anyone can register any address.
        const isAdmin =
          permissions.includes(PORTAL_ADMIN) ||
          (emailVerified && (this.deps.settings.adminEmails.includes(email) || ((await this.deps.adminDirectory?.isAdmin(email)) ?? false)));
        return { userId, email, team, permissions, isAdmin, emailVerified };
      }
      const created: Team = {
        teamId: newId(),
        name: `${[profile.firstName, profile.lastName].filter(Boolean).join(' ') || email}'s team`,
        personal: true,
        createdBy: userId,
        createdAt: this.now,
        memberCount: 1,
        credentialCount: 0,
      };
      // A concurrent first request may win: then read again and use its team.
      await this.deps.store.createPersonalTeam(created, { teamId: created.teamId, userId, email, joinedAt: this.now });
    }
    throw new ConflictError('Your team changed while we were reading it; please try again.');
  }

  /** Which environments can be used, with their token URL and APIs. */
  private async environmentViews(): Promise<Record<Environment, EnvironmentView>> {
    const views = {} as Record<Environment, EnvironmentView>;
    for (const environment of ENVIRONMENTS) {
      const audiences = this.deps.settings.audiences[environment].map((grant) => grant.audience);
      if (!this.deps.tenantConfigured(environment)) {
        views[environment] = { available: false, audiences, message: `The ${environment} environment is not configured.` };
        continue;
      }
      views[environment] = { available: true, token_url: await this.deps.tenant(environment).tokenUrl(), audiences };
    }
    return views;
  }

  private isOurs(client: ManagedClient, teamId: string): boolean {
    return client.metadata.portal === PORTAL_MARKER && client.metadata.teamId === teamId;
  }

  private view(client: ManagedClient, environment: Environment, grants: ManagedGrant[]): CredentialView {
    const createdAt = client.metadata.createdAt;
    return {
      client_id: client.clientId,
      name: client.name,
      environment,
      audiences: grants.filter((grant) => grant.clientId === client.clientId).map((grant) => grant.audience),
      created_at: createdAt && !Number.isNaN(Date.parse(createdAt)) ? createdAt : null,
      created_by: client.metadata.createdBy ?? null,
    };
  }

  /**
   * Reads every configured tenant: its portal clients (all pages) and their
   * grants. A tenant that fails is reported in `environments` rather than
   * failing the whole answer, unless every tenant fails.
   */
  private async readTenants(
    select: (client: ManagedClient) => boolean,
    grantsFor: 'per-client' | 'tenant-wide',
  ): Promise<{ credentials: (CredentialView & { teamId: string })[]; environments: Record<Environment, EnvironmentView> }> {
    const environments = await this.environmentViews();
    const credentials: (CredentialView & { teamId: string })[] = [];
    const failures: unknown[] = [];
    await Promise.all(
      ENVIRONMENTS.filter((environment) => environments[environment].available).map(async (environment) => {
        try {
          const api = this.deps.tenant(environment);
          const clients = (await api.listClients()).filter(select);
          const grants =
            grantsFor === 'tenant-wide'
              ? await api.listGrants()
              : (await mapLimited(clients, GRANT_CONCURRENCY, (client) => api.listGrants({ clientId: client.clientId }))).flat();
          for (const client of clients) credentials.push({ ...this.view(client, environment, grants), teamId: client.metadata.teamId });
        } catch (error) {
          failures.push(error);
          environments[environment] = { ...environments[environment], available: false, message: error instanceof Error ? error.message : 'Unavailable.' };
        }
      }),
    );
    const configured = ENVIRONMENTS.filter((environment) => this.deps.tenantConfigured(environment)).length;
    if (configured > 0 && failures.length === configured) throw failures[0];
    credentials.sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || a.client_id.localeCompare(b.client_id));
    return { credentials, environments };
  }

  /** GET /portal/credentials: the team's credentials in both environments, from Auth0 itself. */
  async listCredentials(caller: Caller): Promise<{ credentials: CredentialView[]; environments: Record<Environment, EnvironmentView> }> {
    const { credentials, environments } = await this.readTenants((client) => this.isOurs(client, caller.team.teamId), 'per-client');
    return { credentials: credentials.map(({ teamId: _teamId, ...view }) => view), environments };
  }

  private configuredTenant(environment: Environment): ManagementApi {
    if (!this.deps.tenantConfigured(environment)) {
      throw new ServiceUnavailableError(`The ${environment} environment is not configured yet: an administrator must set its Auth0 management client (see the portal documentation).`);
    }
    return this.deps.tenant(environment);
  }

  /** POST /portal/credentials: a new client with one grant per configured API; the secret is in this answer only. */
  async createCredential(caller: Caller, input: { name: string; environment: Environment }, idempotencyKey?: string): Promise<Outcome> {
    await this.deps.verification.requireVerified(caller.userId);
    const api = this.configuredTenant(input.environment);
    const audiences = this.deps.settings.audiences[input.environment];
    if (!audiences.length) {
      throw new ServiceUnavailableError(`No APIs are configured for the ${input.environment} environment yet: an administrator must set ${input.environment.toUpperCase()}_API_AUDIENCES.`);
    }
    if (caller.team.credentialCount >= this.deps.settings.maxCredentialsPerTeam) {
      throw new ConflictError(`Your team already has ${caller.team.credentialCount} credentials, the most a team may hold. Delete one you no longer use first.`);
    }
    return this.idempotent(caller, idempotencyKey, 'create-credential', input, async (operationId, seal, previous) => {
      if (previous) await this.discardOperation(api, caller.team.teamId, previous.operationId);
      const createdAt = new Date(this.deps.clock.now()).toISOString();
      const metadata = { portal: PORTAL_MARKER, teamId: caller.team.teamId, createdBy: caller.userId, createdAt, operation: operationId };
      let client;
      try {
        client = await api.createClient({ name: input.name, metadata });
      } catch (error) {
        // A timeout or a dropped connection may still have created the client: find it by its operation tag and remove it.
        if (error instanceof PartnerTimeoutError || error instanceof PartnerUnavailableError) await this.discardOperation(api, caller.team.teamId, operationId);
        throw error;
      }
      const grants: ManagedGrant[] = [];
      try {
        for (const grant of audiences) grants.push(await api.createGrant({ clientId: client.clientId, audience: grant.audience, scope: grant.scope }));
      } catch (error) {
        await this.discardClient(api, client.clientId, grants);
        throw error;
      }
      const body = {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        name: client.name,
        environment: input.environment,
        token_url: await api.tokenUrl(),
        audiences: grants.map((grant) => grant.audience),
        created_at: createdAt,
      };
      const record: CredentialRecord = {
        teamId: caller.team.teamId,
        clientId: client.clientId,
        environment: input.environment,
        name: client.name,
        audiences: body.audiences,
        createdBy: caller.userId,
        createdAt: this.now,
      };
      const completion = seal(201, body);
      try {
        await this.deps.store.addCredential(record, completion, this.deps.settings.maxCredentialsPerTeam);
      } catch (error) {
        // Without its record the credential would be half-made: take it back before answering.
        await this.discardClient(api, client.clientId, grants);
        throw error;
      }
      return { statusCode: 201, body, completed: true };
    });
  }

  /**
   * Finds the caller's credential by client id in whichever tenant holds it.
   * The team's record says where to look; Auth0's `client_metadata` decides.
   */
  private async ownedCredential(caller: Caller, clientId: string): Promise<{ api: ManagementApi; environment: Environment; client: ManagedClient; record?: CredentialRecord }> {
    const notFound = new NotFoundError('Your team has no credential with this client id.');
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(clientId)) throw notFound;
    const { credentials } = await this.deps.store.getTeamContents(caller.team.teamId);
    const record = credentials.find((candidate) => candidate.clientId === clientId);
    const candidates = record ? [record.environment] : ENVIRONMENTS.filter((environment) => this.deps.tenantConfigured(environment));
    for (const environment of candidates) {
      const api = this.configuredTenant(environment);
      const client = await api.getClient(clientId);
      if (client && this.isOurs(client, caller.team.teamId)) return { api, environment, client, record };
    }
    // Recorded but gone from Auth0 (deleted in the dashboard): forget it so the team's count stays right.
    if (record) await this.deps.store.removeCredential(caller.team.teamId, clientId);
    throw notFound;
  }

  /** POST /portal/credentials/{clientId}/rotate: a new secret; the old one stops working at once. */
  async rotateCredential(caller: Caller, clientId: string, idempotencyKey?: string): Promise<Outcome> {
    await this.deps.verification.requireVerified(caller.userId);
    return this.idempotent(caller, idempotencyKey, 'rotate-credential', { clientId }, async (_operationId, seal) => {
      const { api, environment, record } = await this.ownedCredential(caller, clientId);
      const rotated = await api.rotateSecret(clientId);
      if (!rotated) throw new NotFoundError('Your team has no credential with this client id.');
      const body = {
        client_id: rotated.clientId,
        client_secret: rotated.clientSecret,
        name: rotated.name,
        environment,
        token_url: await api.tokenUrl(),
        audiences: record?.audiences ?? (await api.listGrants({ clientId })).map((grant) => grant.audience),
        rotated_at: new Date(this.deps.clock.now()).toISOString(),
      };
      const completion = seal(200, body);
      if (completion) await this.deps.store.completeIdempotent(completion.userId, completion.keyHash, completion.operationId, completion.response);
      return { statusCode: 200, body, completed: true };
    });
  }

  /** DELETE /portal/credentials/{clientId}: its grants, then the client, then the team's record. */
  async deleteCredential(caller: Caller, clientId: string): Promise<void> {
    const owned = await this.ownedCredential(caller, clientId);
    const grants = await owned.api.listGrants({ clientId });
    // Grants first: if anything fails half-way the client still exists, is still listed, and a retry finishes.
    for (const grant of grants) await owned.api.deleteGrant(grant.id);
    await owned.api.deleteClient(clientId);
    await this.deps.store.removeCredential(caller.team.teamId, clientId);
  }

  /** Removes a client and its grants after a failed creation; a failure here is logged, never hidden behind success. */
  private async discardClient(api: ManagementApi, clientId: string, grants: ManagedGrant[]): Promise<void> {
    try {
      for (const grant of grants) await api.deleteGrant(grant.id);
      await api.deleteClient(clientId);
    } catch (error) {
      this.deps.log.error('portal: could not remove a half-created Auth0 client', {
        environment: api.environment,
        clientId,
        errorType: error instanceof Error ? error.name : typeof error,
      });
    }
  }

  /** Removes whatever an earlier (crashed or timed-out) attempt created under `operationId`. */
  private async discardOperation(api: ManagementApi, teamId: string, operationId: string): Promise<void> {
    try {
      const leftovers = (await api.listClients()).filter((client) => this.isOurs(client, teamId) && client.metadata.operation === operationId);
      for (const client of leftovers) await this.discardClient(api, client.clientId, await api.listGrants({ clientId: client.clientId }));
    } catch (error) {
      this.deps.log.error('portal: could not look for a half-created Auth0 client', { environment: api.environment, operationId, errorType: error instanceof Error ? error.name : typeof error });
    }
  }

  /**
   * Runs `run` at most once per Idempotency-Key: a retry with the same key and
   * request gets the first answer (opened from its sealed copy); the same key
   * with another request is refused; a retry while the first attempt still
   * runs is told to wait. A failed attempt releases the key.
   */
  private async idempotent(
    caller: Caller,
    key: string | undefined,
    operation: string,
    input: unknown,
    run: (
      operationId: string,
      seal: (statusCode: number, body: unknown) => { userId: string; keyHash: string; operationId: string; response: { statusCode: number; sealed: string } } | undefined,
      previous?: { operationId: string },
    ) => Promise<Outcome & { completed?: boolean }>,
  ): Promise<Outcome> {
    const operationId = newId();
    if (!key) {
      const { completed: _completed, ...outcome } = await run(operationId, () => undefined);
      return outcome;
    }
    const keyHash = idempotencyKeyHash(key, caller.userId);
    const fingerprint = requestFingerprint(operation, input);
    const now = this.now;
    const begun = await this.deps.store.beginIdempotent(
      { userId: caller.userId, keyHash, fingerprint, operationId, state: 'pending', lockedUntil: now + PENDING_LOCK_SECONDS, expiresAt: now + this.deps.settings.idempotencyTtlSeconds },
      now,
    );
    if (begun.outcome === 'exists') {
      const existing = begun.existing;
      if (existing.fingerprint !== fingerprint) {
        throw new FormRejectedError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request. Use a new key for each new request.', {
          'Idempotency-Key': 'Already used for a different request.',
        });
      }
      if (existing.state !== 'done' || !existing.response) throw new ConflictError('A request with this Idempotency-Key is still being processed. Try again in a few seconds.');
      let body: unknown;
      try {
        body = openResponse(existing.response.sealed, key, caller.userId, operation);
      } catch (error) {
        throw new ConflictError('The stored answer for this Idempotency-Key cannot be read. Use a new key.', { cause: error });
      }
      return { statusCode: existing.response.statusCode, body: body as Record<string, unknown>, replayed: true };
    }
    const seal = (statusCode: number, body: unknown) => ({ userId: caller.userId, keyHash, operationId, response: { statusCode, sealed: sealResponse(body, key, caller.userId, operation) } });
    try {
      const { completed, ...outcome } = await run(operationId, seal, begun.outcome === 'taken-over' ? { operationId: begun.previous.operationId } : undefined);
      if (!completed) await this.deps.store.completeIdempotent(caller.userId, keyHash, operationId, seal(outcome.statusCode, outcome.body).response);
      return outcome;
    } catch (error) {
      await this.deps.store.releaseIdempotent(caller.userId, keyHash, operationId).catch(() => undefined);
      throw error;
    }
  }

  /** GET /portal/team: the team, its members and its pending invitations. */
  async team(caller: Caller): Promise<Record<string, unknown>> {
    const { members: recorded, invitations } = await this.deps.store.getTeamContents(caller.team.teamId);
    // A member whose account was deleted has lost their membership (it lived in their partition): not shown.
    const memberships = await this.deps.store.getMemberships(recorded.map((member) => member.userId));
    const members = recorded.filter((member) => memberships.get(member.userId)?.teamId === caller.team.teamId);
    const now = this.now;
    return {
      team: this.teamView(caller.team),
      members: members
        .sort((a, b) => a.joinedAt - b.joinedAt)
        .map((member) => ({ user_id: member.userId, email: member.email, joined_at: iso(member.joinedAt), you: member.userId === caller.userId })),
      invitations: invitations
        .filter((invitation) => !invitation.usedAt && invitation.expiresAt > now)
        .map((invitation) => ({ id: invitation.inviteId, email: invitation.email, expires_at: iso(invitation.expiresAt), invited_by: invitation.invitedBy })),
      you: { user_id: caller.userId, email: caller.email, permissions: caller.isAdmin ? [...new Set([...caller.permissions, PORTAL_ADMIN])] : caller.permissions, is_admin: caller.isAdmin },
    };
  }

  private teamView(team: Team) {
    return { id: team.teamId, name: team.name, personal: team.personal, created_at: iso(team.createdAt), member_count: team.memberCount, credential_count: team.credentialCount };
  }

  private async invite(caller: Caller, kind: InvitationKind, email: string, idempotencyKey?: string): Promise<Outcome> {
    return this.idempotent(caller, idempotencyKey, `invite-${kind}`, { email, teamId: kind === 'team' ? caller.team.teamId : undefined }, async () => {
      const now = this.now;
      const invitation: Invitation = {
        inviteId: newId(),
        kind,
        ...(kind === 'team' ? { teamId: caller.team.teamId } : {}),
        email,
        invitedBy: caller.email,
        invitedByUserId: caller.userId,
        createdAt: now,
        expiresAt: now + this.deps.settings.invitationTtlSeconds,
      };
      await this.deps.store.saveInvitation(invitation);
      const token = await this.deps.invitations.sign(invitation);
      // The token rides in the fragment: browsers never send it to a server, so it stays out of access logs and Referer headers.
      const invitationUrl = `${this.deps.settings.publicBaseUrl.replace(/\/+$/, '')}/portal#invite=${token}`;
      const emailed = await this.emailInvitation(caller, invitation, invitationUrl);
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
          ...(kind === 'team' ? { team: this.teamView(caller.team) } : {}),
        },
      };
    });
  }

  /** Sends the link to the invited address; the inviter still gets it in the answer, so a failed send is reported, not fatal. */
  private async emailInvitation(caller: Caller, invitation: Invitation, link: string): Promise<boolean> {
    if (!this.deps.mailer) return false;
    try {
      const what = invitation.kind === 'team' ? `join the team "${caller.team.name}"` : 'become a portal admin';
      await this.deps.mailer.send(invitationEmail({ to: invitation.email, inviter: caller.email, what, link, expiresAt: iso(invitation.expiresAt) }));
      return true;
    } catch (error) {
      this.deps.log.warn('portal: invitation email not sent', { inviteId: invitation.inviteId, errorType: error instanceof Error ? error.name : typeof error });
      return false;
    }
  }

  /** DELETE /portal/team/invitations/{inviteId}: any member may withdraw a pending invitation of the team. */
  async withdrawInvitation(caller: Caller, inviteId: string): Promise<void> {
    const withdrawn = /^[A-Za-z0-9_-]{1,64}$/.test(inviteId) && (await this.deps.store.withdrawInvitation(caller.team.teamId, inviteId));
    if (!withdrawn) throw new NotFoundError('Your team has no pending invitation with this id.');
  }

  /** POST /portal/team/invitations: a link that lets `email` join the caller's team. */
  inviteTeammate(caller: Caller, email: string, idempotencyKey?: string): Promise<Outcome> {
    return this.invite(caller, 'team', email, idempotencyKey);
  }

  /** POST /portal/admin/invitations: a link that makes `email` a portal admin (or, with kind user-admin, an operator). Admins only. */
  inviteAdmin(caller: Caller, email: string, idempotencyKey?: string, kind: 'admin' | 'user-admin' = 'admin'): Promise<Outcome> {
    this.requireAdmin(caller);
    return this.invite(caller, kind, email, idempotencyKey);
  }

  /** POST /portal/team/join: accepts an invitation (team or admin) for the signed-in caller. */
  async join(caller: Caller, token: string): Promise<Record<string, unknown>> {
    const claims = await this.deps.invitations.verify(token);
    // The invitation is bound to an email: only its proven owner may accept it.
    await this.deps.verification.requireVerified(caller.userId);
    const invitation = await this.deps.store.getInvitation(claims.kind, claims.inviteId, claims.teamId);
    if (!invitation) throw new InvalidInvitationError('This invitation no longer exists. Ask for a new one.');
    const alreadyAccepted = invitation.usedAt !== undefined && invitation.usedBy === caller.userId;
    if (invitation.usedAt !== undefined && !alreadyAccepted) throw new InvalidInvitationError('This invitation has already been used. Ask for a new one.');
    if (invitation.expiresAt <= this.now && !alreadyAccepted) throw new InvalidInvitationError('This invitation has expired. Ask for a new one.');
    if (normalizeEmail(invitation.email) !== caller.email) {
      throw new ForbiddenError(`This invitation was sent to ${maskEmail(invitation.email)}. Sign in with that account to accept it.`);
    }
    if (invitation.kind === 'admin' || invitation.kind === 'user-admin') {
      if (!alreadyAccepted) await this.deps.store.acceptAdminInvitation({ invitation, userId: caller.userId, now: this.now });
      return { joined: invitation.kind, permissions: [...new Set([...caller.permissions, invitation.kind === 'admin' ? PORTAL_ADMIN : USER_ADMIN])], team: this.teamView(caller.team) };
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
      await this.deps.store.acceptTeamInvitation({
        invitation,
        member: { teamId, userId: caller.userId, email: caller.email, joinedAt: this.now, invitedBy: invitation.invitedBy },
        previous,
        now: this.now,
      });
    }
    const team = await this.deps.store.getTeam(teamId);
    if (!team) throw new InvalidInvitationError('The team of this invitation no longer exists.');
    return { joined: 'team', team: this.teamView(team) };
  }

  /**
   * DELETE /portal/team/members/{userId}. Members of a team are peers, as in
   * the reference portal: everyone on it was invited by someone on it, and any
   * of them may remove a teammate or leave. The last member cannot be removed:
   * the team's credentials would be stranded.
   */
  async removeMember(caller: Caller, userId: string): Promise<void> {
    const member = /^[A-Za-z0-9_-]{1,64}$/.test(userId) ? await this.deps.store.getMember(caller.team.teamId, userId) : undefined;
    if (!member) throw new NotFoundError('Your team has no member with this user id.');
    await this.deps.store.removeMember(caller.team.teamId, userId);
    await this.withdrawInvitationsBy(caller.team.teamId, member);
  }

  /** A team invitation speaks for its sender: it is good only while they are in the team. */
  private async senderStillMember(invitation: Invitation): Promise<boolean> {
    const teamId = invitation.teamId as string;
    if (invitation.invitedByUserId) return !!(await this.deps.store.getMember(teamId, invitation.invitedByUserId));
    const { members } = await this.deps.store.getTeamContents(teamId);
    return members.some((member) => normalizeEmail(member.email) === normalizeEmail(invitation.invitedBy));
  }

  /** A removed member's pending invitations go with them (joining re-checks the sender too, for any that races this). */
  private async withdrawInvitationsBy(teamId: string, member: { userId: string; email: string }): Promise<void> {
    const { invitations } = await this.deps.store.getTeamContents(teamId);
    const theirs = invitations.filter(
      (invitation) => !invitation.usedAt && (invitation.invitedByUserId ? invitation.invitedByUserId === member.userId : normalizeEmail(invitation.invitedBy) === normalizeEmail(member.email)),
    );
    for (const invitation of theirs) await this.deps.store.withdrawInvitation(teamId, invitation.inviteId);
  }

  private requireAdmin(caller: Caller): void {
    if (!caller.isAdmin) throw new ForbiddenError('Only portal admins may do this.');
  }

  /** GET /portal/admin/teams: every team, with its credentials in both environments. Admins only. */
  async adminTeams(caller: Caller): Promise<Record<string, unknown>> {
    this.requireAdmin(caller);
    const [teams, tenants] = await Promise.all([this.deps.store.listTeams(), this.readTenants((client) => client.metadata.portal === PORTAL_MARKER && !!client.metadata.teamId, 'tenant-wide')]);
    const known = new Set(teams.map((team) => team.teamId));
    const byTeam = new Map<string, CredentialView[]>();
    for (const { teamId, ...view } of tenants.credentials) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), view]);
    return {
      teams: teams
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((team) => ({ ...this.teamView(team), credentials: byTeam.get(team.teamId) ?? [] })),
      // Portal-tagged clients whose team is gone: worth an admin's look (and a delete in the Auth0 dashboard).
      unassigned_credentials: tenants.credentials.filter((credential) => !known.has(credential.teamId)).map(({ teamId, ...view }) => ({ ...view, team_id: teamId })),
      environments: tenants.environments,
    };
  }
}
