import { type Caller, requireAdmin } from './caller';
import type { PortalDependencies } from './dependencies';
import { PORTAL_MARKER, type Tenants } from './tenants';
import { type AdminTeamsView, type CredentialView, teamSummaryView } from './views';

/** What portal admins see across teams. */
export class PortalAdmin {
  constructor(
    private readonly deps: Pick<PortalDependencies, 'teams'>,
    private readonly tenants: Tenants,
  ) {}

  /** GET /portal/admin/teams: every team, with its credentials in both environments. Admins only. */
  async teams(caller: Caller): Promise<AdminTeamsView> {
    requireAdmin(caller);
    const [teams, tenants] = await Promise.all([
      this.deps.teams.listTeams(),
      this.tenants.read((client) => client.metadata.portal === PORTAL_MARKER && !!client.metadata.teamId, 'tenant-wide'),
    ]);
    const known = new Set(teams.map((team) => team.teamId));
    const byTeam = new Map<string, CredentialView[]>();
    for (const { teamId, ...view } of tenants.credentials) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), view]);
    return {
      teams: teams.sort((a, b) => a.createdAt - b.createdAt).map((team) => ({ ...teamSummaryView(team), credentials: byTeam.get(team.teamId) ?? [] })),
      // Portal-tagged clients whose team is gone: worth an admin's look (and a delete in the Auth0 dashboard).
      unassigned_credentials: tenants.credentials
        .filter((credential) => !known.has(credential.teamId))
        .map(({ teamId, ...view }) => ({ ...view, team_id: teamId })),
      environments: tenants.environments,
    };
  }
}
