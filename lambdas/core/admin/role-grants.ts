import { newId } from '../random';
import type { AuditTrail } from './audit';
import type { AuditRecord } from './ports';

/** The roles a grant gives: the portal's `portal-admin`, the operator console's `user-admin`. */
export type GrantedRole = 'portal-admin' | 'user-admin';

/** Where a grant came from: an accepted invitation, or an address named in configuration or in Auth0. */
export type GrantSource = 'invitation' | 'PORTAL_ADMIN_EMAILS' | 'USER_ADMIN_EMAILS' | 'auth0-app-metadata';

/** The actor of a grant no person made: the setting (or directory) that names the address. */
const SOURCE_ACTORS: Record<Exclude<GrantSource, 'invitation'>, string> = {
  PORTAL_ADMIN_EMAILS: 'configuration',
  USER_ADMIN_EMAILS: 'configuration',
  'auth0-app-metadata': 'auth0',
};

export interface RoleGrant {
  role: GrantedRole;
  source: GrantSource;
  targetUserId: string;
  targetEmail: string;
  /** The inviter, for an invitation; absent for grants by address. */
  actor?: { userId: string; email: string };
  /** The invitation id, for an invitation. */
  correlationId?: string;
}

/**
 * The audit entry of a role grant, prepared for the store that writes it in
 * the grant's own transaction: no grant without its entry.
 */
export function prepareGrantAudit(audit: Pick<AuditTrail, 'entry'>, grant: RoleGrant): AuditRecord {
  const actor = grant.actor ?? { userId: SOURCE_ACTORS[grant.source as Exclude<GrantSource, 'invitation'>], email: grant.source };
  return audit.entry({
    actorId: actor.userId,
    actorEmail: actor.email,
    action: 'grant-role',
    targetUserId: grant.targetUserId,
    targetEmail: grant.targetEmail,
    correlationId: grant.correlationId ?? `grant-${newId()}`,
    changes: { role: { before: null, after: grant.role }, source: { before: null, after: grant.source } },
  });
}

/** The marker a membership keeps of an address grant already recorded, so it is audited once, on first use. */
export const addressGrantMarker = (role: GrantedRole, source: GrantSource): string => `${role}:${source}`;

export interface AddressGrantStore {
  /**
   * Adds the marker to the user's membership and writes the audit entry, in
   * one transaction; false when the marker was there already (a concurrent
   * first use recorded it). Any other failure throws: the grant does not happen.
   */
  recordAddressGrant(userId: string, marker: string, audit: AuditRecord): Promise<boolean>;
}

/**
 * A role that comes from the user's address (PORTAL_ADMIN_EMAILS,
 * USER_ADMIN_EMAILS, Auth0 app_metadata) is audited the first time it is
 * used: the caller awaits this before acting with the role, so a failed
 * write refuses the request rather than granting unaudited.
 */
export async function recordAddressGrant(
  deps: { store: AddressGrantStore; audit: Pick<AuditTrail, 'entry' | 'published'> },
  recorded: string[] | undefined,
  grant: Omit<RoleGrant, 'actor' | 'correlationId'>,
): Promise<void> {
  const marker = addressGrantMarker(grant.role, grant.source);
  if (recorded?.includes(marker)) return;
  const prepared = prepareGrantAudit(deps.audit, grant);
  if (await deps.store.recordAddressGrant(grant.targetUserId, marker, prepared)) deps.audit.published(prepared);
}
