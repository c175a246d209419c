import type { AuditTrail } from '../admin/audit';
import type { Brand } from '../branding';
import { type Clock, epochSeconds } from '../clock';
import type { Mailer, UserProfile } from '../ports';
import type { AudienceGrant } from './audiences';
import type { InvitationTokens } from './invitation-tokens';
import type { Environment, IdempotencyStore, InvitationStore, ManagementApi, MembershipStore, TeamCredentialStore, TeamStore } from './ports';

export interface PortalSettings {
  /** The platform's brand on the invitation emails (BRAND_JSON); absent: LoginBridge's own. */
  brand?: Brand;
  /** Emails (normalised) that are portal admins by configuration (PORTAL_ADMIN_EMAILS). */
  adminEmails: string[];
  audiences: Record<Environment, AudienceGrant[]>;
  invitationTtlSeconds: number;
  /** Admin and user-admin invitations: shorter-lived (ADMIN_INVITATION_TTL_SECONDS, capped at the team invitations' lifetime). */
  adminInvitationTtlSeconds: number;
  idempotencyTtlSeconds: number;
  maxCredentialsPerTeam: number;
  /** Where the portal page lives; invitation links point at it. */
  publicBaseUrl: string;
}

export interface PortalLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Everything the portal's concerns (callers, credentials, team, invitations, admin) are built from. */
export interface PortalDependencies {
  teams: TeamStore;
  memberships: MembershipStore;
  /** The stored invitations (`invitations` signs and reads their tokens). */
  invites: InvitationStore;
  teamCredentials: TeamCredentialStore;
  idempotency: IdempotencyStore;
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
  /** Every role grant is an audit entry, written in the grant's own transaction (core/admin/role-grants.ts). */
  audit: Pick<AuditTrail, 'entry' | 'published'>;
}

export const nowOf = (deps: Pick<PortalDependencies, 'clock'>): number => epochSeconds(deps.clock);
