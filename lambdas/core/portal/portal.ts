import { PortalAdmin } from './admin';
import { Callers } from './caller';
import { Credentials } from './credentials';
import type { PortalDependencies } from './dependencies';
import { IdempotentRequests } from './idempotent-requests';
import { Invitations } from './invitations';
import { TeamMembers } from './team';
import { Tenants } from './tenants';

export type { Caller } from './caller';
export type { PortalDependencies, PortalLogger, PortalSettings } from './dependencies';
export type { Outcome } from './idempotent-requests';
export { PORTAL_MARKER } from './tenants';
export type * from './views';
export { maskEmail } from './views';

/**
 * The developer portal: teams, portal admins, and API credentials that are
 * Auth0 machine-to-machine clients in a sandbox and a production tenant.
 * One object per concern, built from the same dependencies: `callers`
 * (who is calling, and their team), `credentials`, `team`, `invitations`
 * and `admin`.
 */
export class Portal {
  readonly callers: Callers;
  readonly credentials: Credentials;
  readonly team: TeamMembers;
  readonly invitations: Invitations;
  readonly admin: PortalAdmin;

  constructor(deps: PortalDependencies) {
    const tenants = new Tenants(deps);
    const idempotent = new IdempotentRequests(deps);
    this.callers = new Callers(deps);
    this.credentials = new Credentials(deps, tenants, idempotent);
    this.team = new TeamMembers(deps);
    this.invitations = new Invitations(deps, idempotent);
    this.admin = new PortalAdmin(deps, tenants);
  }
}
