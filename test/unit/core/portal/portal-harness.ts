import { AuditTrail } from '../../../../lambdas/core/admin/audit';
import type { AuditStore } from '../../../../lambdas/core/admin/ports';
import { notVerified } from '../../../../lambdas/core/email-verification';
import { UnauthenticatedError } from '../../../../lambdas/core/errors';
import type { InvitationTokens } from '../../../../lambdas/core/portal/invitation-tokens';
import { type Caller, Portal, type PortalSettings } from '../../../../lambdas/core/portal/portal';
import type { Environment } from '../../../../lambdas/core/portal/ports';
import type { UserProfile } from '../../../../lambdas/core/ports';
import { FakeClock } from '../../../support/fakes/clock';
import { InMemoryInvitationTokens, InMemoryPortalStore, InMemoryTenant } from '../../../support/fakes/portal';
import { partialPort, RecordingLog, RecordingMailer } from '../../../support/fakes/ports';

/** A Portal over in-memory ports and a fake clock, with both tenants configured unless a test says otherwise. */
export function portalHarness(options: { settings?: Partial<PortalSettings>; configured?: Environment[]; adminDirectory?: string[] } = {}) {
  const clock = new FakeClock();
  const store = new InMemoryPortalStore();
  const tenants: Record<Environment, InMemoryTenant> = { sandbox: new InMemoryTenant('sandbox'), production: new InMemoryTenant('production') };
  const configured = new Set<Environment>(options.configured ?? ['sandbox', 'production']);
  const profiles = new Map<string, UserProfile>();
  const mailer = new RecordingMailer();
  const log = new RecordingLog();
  const settings: PortalSettings = {
    adminEmails: [],
    audiences: {
      sandbox: [{ audience: 'https://api.sandbox.example', scope: ['read'] }],
      production: [{ audience: 'https://api.example', scope: ['read', 'write'] }],
    },
    invitationTtlSeconds: 7 * 24 * 3600,
    adminInvitationTtlSeconds: 2 * 24 * 3600,
    idempotencyTtlSeconds: 24 * 3600,
    maxCredentialsPerTeam: 3,
    publicBaseUrl: 'https://login.example/',
    ...options.settings,
  };
  const portal = new Portal({
    teams: store,
    memberships: store,
    invites: store,
    teamCredentials: store,
    idempotency: store,
    tenant: (environment) => tenants[environment],
    tenantConfigured: (environment) => configured.has(environment),
    invitations: new InMemoryInvitationTokens() as unknown as InvitationTokens,
    profiles: { getProfile: async (userId) => profiles.get(userId) },
    clock,
    settings,
    log,
    verification: {
      async requireVerified(userId) {
        const profile = profiles.get(userId);
        if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
        if (!profile.emailVerifiedAt) throw notVerified(profile.email);
        return profile;
      },
    },
    adminDirectory: { isAdmin: async (email) => (options.adminDirectory ?? []).includes(email) },
    mailer,
    audit: new AuditTrail(partialPort<AuditStore>('auditStore', {}), { info: () => {}, error: () => {}, metric: () => {} }, clock, () => 400),
  });

  let users = 0;
  /** A registered user; verified unless told otherwise. */
  const user = (fields: { email?: string; verified?: boolean; firstName?: string; locale?: string } = {}): UserProfile => {
    users += 1;
    const profile: UserProfile = {
      id: `user${String(users).padStart(20, '0')}`,
      email: fields.email ?? `person${users}@example.com`,
      firstName: fields.firstName ?? `Person${users}`,
      lastName: 'Example',
      approveMarketing: false,
      createdAt: new Date(clock.now()).toISOString(),
      ...(fields.verified === false ? {} : { emailVerifiedAt: new Date(clock.now()).toISOString() }),
      ...(fields.locale ? { locale: fields.locale } : {}),
    };
    profiles.set(profile.id, profile);
    return profile;
  };
  /** A caller as the portal handlers make one: by default from a session signed in with a second factor (admins need one). */
  const callerOf = async (profile: UserProfile, amr: string[] = ['pwd', 'otp', 'mfa'], recentFactor = true): Promise<Caller> => ({
    ...(await portal.callers.resolve(profile.id)),
    amr,
    recentFactor,
    factorPolicy: true,
  });

  return { portal, store, tenants, configured, profiles, mailer, log, clock, settings, user, callerOf };
}

export const refusal = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
