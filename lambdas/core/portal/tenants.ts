import { ServiceUnavailableError } from '../errors';
import type { PortalDependencies } from './dependencies';
import { ENVIRONMENTS, type Environment, type ManagedClient, type ManagedGrant, type ManagementApi } from './ports';
import type { CredentialView, EnvironmentView } from './views';

/** `client_metadata.portal` on every client the portal creates: clients without it are never the portal's. */
export const PORTAL_MARKER = 'loginbridge';

const GRANT_CONCURRENCY = 4;

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

/** A team's own client: made by the portal and tagged with the team's id. */
export function isTeamClient(client: ManagedClient, teamId: string): boolean {
  return client.metadata.portal === PORTAL_MARKER && client.metadata.teamId === teamId;
}

export function credentialView(client: ManagedClient, environment: Environment, grants: ManagedGrant[]): CredentialView {
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

export type TeamCredentialView = CredentialView & { teamId: string };

/** The Auth0 tenants as the portal reads them: which are configured, and the portal's clients in them. */
export class Tenants {
  constructor(private readonly deps: Pick<PortalDependencies, 'tenant' | 'tenantConfigured' | 'settings'>) {}

  isConfigured(environment: Environment): boolean {
    return this.deps.tenantConfigured(environment);
  }

  /** The tenant's Management API; ServiceUnavailableError when the environment is not configured. */
  configured(environment: Environment): ManagementApi {
    if (!this.deps.tenantConfigured(environment)) {
      throw new ServiceUnavailableError(
        `The ${environment} environment is not configured yet: an administrator must set its Auth0 management client (see the portal documentation).`,
      );
    }
    return this.deps.tenant(environment);
  }

  /** Which environments can be used, with their token URL and APIs. */
  async environmentViews(): Promise<Record<Environment, EnvironmentView>> {
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

  /**
   * Reads every configured tenant: its portal clients (all pages) and their
   * grants. A tenant that fails is reported in `environments` rather than
   * failing the whole answer, unless every tenant fails.
   */
  async read(
    select: (client: ManagedClient) => boolean,
    grantsFor: 'per-client' | 'tenant-wide',
  ): Promise<{ credentials: TeamCredentialView[]; environments: Record<Environment, EnvironmentView> }> {
    const environments = await this.environmentViews();
    const credentials: TeamCredentialView[] = [];
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
          for (const client of clients) credentials.push({ ...credentialView(client, environment, grants), teamId: client.metadata.teamId });
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
}
