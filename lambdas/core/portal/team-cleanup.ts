import { type Clock, epochSeconds } from '../clock';
import { ENVIRONMENTS, type Environment, type ManagementApi } from './ports';
import { PORTAL_MARKER } from './tenants';

/** A team left without members whose Auth0 clients may still work. */
export interface PendingCleanup {
  teamId: string;
  createdAt: number;
  attempts: number;
}

export interface CleanupStore {
  listPendingCleanups(): Promise<PendingCleanup[]>;
  /** The client ids the team recorded, by environment. */
  recordedCredentials(teamId: string): Promise<{ clientId: string; environment: Environment }[]>;
  /** Deletes the team, everything in its partition and the clean-up record. */
  finishCleanup(teamId: string): Promise<void>;
  /** Counts a failed attempt on the record (what failed, never a secret). */
  recordFailedAttempt(teamId: string, now: number, reason: string): Promise<void>;
}

export interface TeamCleanupDeps {
  store: CleanupStore;
  tenant(environment: Environment): ManagementApi;
  tenantConfigured(environment: Environment): boolean;
  clock: Clock;
  log: { info(message: string, fields?: Record<string, unknown>): void; warn(message: string, fields?: Record<string, unknown>): void };
}

/**
 * Makes a team that lost its last member leave nothing working: its Auth0
 * clients (and their grants) in both tenants, then the team itself. Every
 * step is idempotent, so the request that deleted the account, the scheduled
 * function and a retry after an Auth0 outage can all run it; the clean-up
 * record stays until the last step succeeds.
 */
export class TeamCleanup {
  constructor(private readonly deps: TeamCleanupDeps) {}

  async cleanUp(teamId: string): Promise<void> {
    const recorded = await this.deps.store.recordedCredentials(teamId);
    for (const environment of ENVIRONMENTS) {
      if (!this.deps.tenantConfigured(environment)) continue;
      const api = this.deps.tenant(environment);
      const ids = new Set(recorded.filter((credential) => credential.environment === environment).map((credential) => credential.clientId));
      // The records are the index; a tenant that holds any of the team's clients is also searched for ones the records missed.
      if (ids.size) {
        for (const client of await api.listClients())
          if (client.metadata.portal === PORTAL_MARKER && client.metadata.teamId === teamId) ids.add(client.clientId);
      }
      for (const clientId of ids) {
        const client = await api.getClient(clientId);
        if (!client || client.metadata.teamId !== teamId || client.metadata.portal !== PORTAL_MARKER) continue;
        // Grants first: a failure half-way leaves the client listed, and the next run finishes it.
        for (const grant of await api.listGrants({ clientId })) await api.deleteGrant(grant.id);
        await api.deleteClient(clientId);
      }
    }
    await this.deps.store.finishCleanup(teamId);
    this.deps.log.info('portal: emptied team cleaned up', { teamId });
  }

  /** Right after the account deletion: never fails it; what does not finish within `withinMs` is left to the schedule. */
  async tryNow(teamId: string, withinMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const attempt = this.cleanUp(teamId).then(
      () => true,
      async (error: unknown) => {
        await this.noteFailure(teamId, error);
        return false;
      },
    );
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), withinMs);
    });
    try {
      return await Promise.race([attempt, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The scheduled run: every pending clean-up, one after another; returns what is still pending. */
  async runPending(): Promise<{ finished: number; pending: number }> {
    let finished = 0;
    let pending = 0;
    for (const cleanup of await this.deps.store.listPendingCleanups()) {
      try {
        await this.cleanUp(cleanup.teamId);
        finished += 1;
      } catch (error) {
        pending += 1;
        await this.noteFailure(cleanup.teamId, error);
      }
    }
    return { finished, pending };
  }

  private async noteFailure(teamId: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.name : typeof error;
    this.deps.log.warn('portal: team clean-up left pending', { teamId, errorType: reason });
    await this.deps.store.recordFailedAttempt(teamId, epochSeconds(this.deps.clock), reason).catch(() => undefined);
  }
}
