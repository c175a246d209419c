import { NotFoundError, PartnerTimeoutError, PartnerUnavailableError, ServiceUnavailableError } from '../errors';
import type { Seal } from '../idempotent';
import type { AudienceGrant } from './audiences';
import { type Caller, requireStepUp } from './caller';
import { nowOf, type PortalDependencies } from './dependencies';
import type { IdempotentRequests, Outcome } from './idempotent-requests';
import {
  type CredentialRecord,
  ENVIRONMENTS,
  type Environment,
  type ManagedClient,
  type ManagedClientWithSecret,
  type ManagedGrant,
  type ManagementApi,
} from './ports';
import { isTeamClient, PORTAL_MARKER, type Tenants } from './tenants';
import type { CreatedCredentialView, CredentialListView, RotatedCredentialView } from './views';

/**
 * A team's API credentials: Auth0 machine-to-machine clients in a sandbox and
 * a production tenant.
 *
 * Rules it keeps:
 * - a team sees, rotates and deletes only clients tagged with its id by the
 *   portal; anything else answers 404, exactly like a client that does not exist;
 * - a credential is created whole or not at all: a failed grant deletes the
 *   client (and the grants made so far) before the error is answered;
 * - secrets leave only in the answers to creation and rotation, and are
 *   stored only sealed under the caller's Idempotency-Key.
 */
/** How long a create may take before its place on the team lapses (far beyond the function's own timeout). */
const CREATE_RESERVATION_SECONDS = 300;

export class Credentials {
  constructor(
    private readonly deps: Pick<PortalDependencies, 'idempotency' | 'teamCredentials' | 'teams' | 'clock' | 'settings' | 'log' | 'verification'>,
    private readonly tenants: Tenants,
    private readonly idempotent: IdempotentRequests,
  ) {}

  /** GET /portal/credentials: the team's credentials in both environments, from Auth0 itself. */
  async list(caller: Caller): Promise<CredentialListView> {
    const { credentials, environments } = await this.tenants.read((client) => isTeamClient(client, caller.team.teamId), 'per-client');
    return { credentials: credentials.map(({ teamId: _teamId, ...view }) => view), environments };
  }

  /** POST /portal/credentials: a new client with one grant per configured API; the secret is in this answer only. */
  async create(caller: Caller, input: { name: string; environment: Environment }, idempotencyKey?: string): Promise<Outcome<CreatedCredentialView>> {
    await this.deps.verification.requireVerified(caller.userId);
    const api = this.tenants.configured(input.environment);
    const audiences = this.deps.settings.audiences[input.environment];
    if (!audiences.length) {
      throw new ServiceUnavailableError(
        `No APIs are configured for the ${input.environment} environment yet: an administrator must set ${input.environment.toUpperCase()}_API_AUDIENCES.`,
      );
    }
    if (input.environment === 'production') requireStepUp(caller);
    return this.idempotent.run<CreatedCredentialView>(caller, idempotencyKey, 'create-credential', input, async (operationId, seal, previous) => {
      const teamId = caller.team.teamId;
      if (previous) {
        await this.discardOperation(api, teamId, previous.operationId);
        await this.deps.teamCredentials.releaseCredential(teamId, previous.operationId);
      }
      // The limit is counted here, before Auth0 is asked: a burst of creates makes at most as many clients as the team has room for.
      const nowSeconds = Math.floor(this.deps.clock.now() / 1000);
      const reservation = { operationId, expiresAt: nowSeconds + CREATE_RESERVATION_SECONDS };
      await this.deps.teamCredentials.reserveCredential(teamId, reservation, this.deps.settings.maxCredentialsPerTeam, nowSeconds);
      try {
        return await this.createReserved(api, caller, input, audiences, operationId, seal);
      } catch (error) {
        await this.deps.teamCredentials.releaseCredential(teamId, operationId);
        throw error;
      }
    });
  }

  private async createReserved(
    api: ManagementApi,
    caller: Caller,
    input: { name: string; environment: Environment },
    audiences: readonly AudienceGrant[],
    operationId: string,
    seal: Seal,
  ): Promise<Outcome<CreatedCredentialView> & { completed: true }> {
    {
      const createdAt = new Date(this.deps.clock.now()).toISOString();
      const metadata = { portal: PORTAL_MARKER, teamId: caller.team.teamId, createdBy: caller.userId, createdAt, operation: operationId };
      let client: ManagedClientWithSecret;
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
      const body: CreatedCredentialView = {
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
        createdAt: nowOf(this.deps),
      };
      const completion = seal(201, body);
      try {
        await this.deps.teamCredentials.addCredential(record, operationId, completion);
      } catch (error) {
        // Without its record the credential would be half-made: take it back before answering.
        await this.discardClient(api, client.clientId, grants);
        throw error;
      }
      return { statusCode: 201, body, completed: true };
    }
  }

  /** POST /portal/credentials/{clientId}/rotate: a new secret; the old one stops working at once. */
  async rotate(caller: Caller, clientId: string, idempotencyKey?: string): Promise<Outcome<RotatedCredentialView>> {
    await this.deps.verification.requireVerified(caller.userId);
    return this.idempotent.run<RotatedCredentialView>(caller, idempotencyKey, 'rotate-credential', { clientId }, async (_operationId, seal) => {
      const { api, environment, record } = await this.owned(caller, clientId);
      if (environment === 'production') requireStepUp(caller);
      const rotated = await api.rotateSecret(clientId);
      if (!rotated) throw new NotFoundError('Your team has no credential with this client id.');
      const body: RotatedCredentialView = {
        client_id: rotated.clientId,
        client_secret: rotated.clientSecret,
        name: rotated.name,
        environment,
        token_url: await api.tokenUrl(),
        audiences: record?.audiences ?? (await api.listGrants({ clientId })).map((grant) => grant.audience),
        rotated_at: new Date(this.deps.clock.now()).toISOString(),
      };
      const completion = seal(200, body);
      if (completion) await this.deps.idempotency.completeIdempotent(completion.userId, completion.keyHash, completion.operationId, completion.response);
      return { statusCode: 200, body, completed: true };
    });
  }

  /** DELETE /portal/credentials/{clientId}: its grants, then the client, then the team's record. */
  async delete(caller: Caller, clientId: string): Promise<void> {
    const owned = await this.owned(caller, clientId);
    const grants = await owned.api.listGrants({ clientId });
    // Grants first: if anything fails half-way the client still exists, is still listed, and a retry finishes.
    for (const grant of grants) await owned.api.deleteGrant(grant.id);
    await owned.api.deleteClient(clientId);
    await this.deps.teamCredentials.removeCredential(caller.team.teamId, clientId);
  }

  /**
   * Finds the caller's credential by client id in whichever tenant holds it.
   * The team's record says where to look; Auth0's `client_metadata` decides.
   */
  private async owned(
    caller: Caller,
    clientId: string,
  ): Promise<{ api: ManagementApi; environment: Environment; client: ManagedClient; record?: CredentialRecord }> {
    const notFound = new NotFoundError('Your team has no credential with this client id.');
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(clientId)) throw notFound;
    const { credentials } = await this.deps.teams.getTeamContents(caller.team.teamId);
    const record = credentials.find((candidate) => candidate.clientId === clientId);
    const candidates = record ? [record.environment] : ENVIRONMENTS.filter((environment) => this.tenants.isConfigured(environment));
    for (const environment of candidates) {
      const api = this.tenants.configured(environment);
      const client = await api.getClient(clientId);
      if (client && isTeamClient(client, caller.team.teamId)) return { api, environment, client, record };
    }
    // Recorded but gone from Auth0 (deleted in the dashboard): forget it so the team's count stays right.
    if (record) await this.deps.teamCredentials.removeCredential(caller.team.teamId, clientId);
    throw notFound;
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
      const leftovers = (await api.listClients()).filter((client) => isTeamClient(client, teamId) && client.metadata.operation === operationId);
      for (const client of leftovers) await this.discardClient(api, client.clientId, await api.listGrants({ clientId: client.clientId }));
    } catch (error) {
      this.deps.log.error('portal: could not look for a half-created Auth0 client', {
        environment: api.environment,
        operationId,
        errorType: error instanceof Error ? error.name : typeof error,
      });
    }
  }
}
