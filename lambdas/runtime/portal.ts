import { createSecretsManagerTenantCredentials, credentialVariables, EnvTenantCredentials } from '../adapters/auth0/credentials';
import { Auth0ManagementClient } from '../adapters/auth0/management-client';
import { DynamoCleanupStore } from '../adapters/dynamo/cleanup-store';
import { DynamoIdempotencyStore } from '../adapters/dynamo/idempotency-store';
import { DynamoInvitationStore } from '../adapters/dynamo/invitation-store';
import { DynamoMembershipStore } from '../adapters/dynamo/membership-store';
import { DynamoTeamCredentialStore } from '../adapters/dynamo/team-credential-store';
import { DynamoTeamStore } from '../adapters/dynamo/team-store';
import { createSecretsManagerHmacKeyRing, FileHmacKeyRing } from '../adapters/keys/hmac-key-ring';
import { optionalEnv, settings } from '../config';
import { systemClock } from '../core/clock';
import { AdminDirectory } from '../core/portal/admin-directory';
import { InvitationTokens } from '../core/portal/invitation-tokens';
import { Portal } from '../core/portal/portal';
import type { Environment } from '../core/portal/ports';
import { TeamCleanup } from '../core/portal/team-cleanup';
import type { HmacKeySource } from '../core/ports';
import { log } from '../http/log';
import { auditTrail } from './admin';
import { credentialStore, documentClient, grantedKey, grantedMailer, issuer, once, partnerHttpOptions, tableName } from './shared';
import { emailVerification } from './verification';

/** Developer portal (docs/portal.md): one Management API client per Auth0 tenant, each with its own token cache. */

/** Grant `secrets: auth0-<environment>`: the tenant's Management API client. */
const auth0Tenant = (environment: Environment) => {
  const arn = optionalEnv(credentialVariables(environment).secretArn);
  const credentials = arn
    ? createSecretsManagerTenantCredentials(arn, environment, settings().PARTNER_SECRET_TTL_SECONDS * 1000)
    : new EnvTenantCredentials(environment);
  return new Auth0ManagementClient({ environment, credentials, clock: systemClock, ...partnerHttpOptions() });
};

const auth0Tenants: Record<Environment, () => Auth0ManagementClient> = {
  sandbox: once(() => auth0Tenant('sandbox')),
  production: once(() => auth0Tenant('production')),
};

const tenant = (environment: Environment) => auth0Tenants[environment]();

/** A tenant is configured when its function was given the secret (AWS) or the local variables. */
const auth0Configured = (environment: Environment) => {
  const names = credentialVariables(environment);
  return !!(optionalEnv(names.secretArn) || optionalEnv(names.domain));
};

/** The portal's stores, one per concern (the console reads memberships and teams and keeps its Idempotency-Key records here too). */
export const teamStore = /* @__PURE__ */ once(() => new DynamoTeamStore(documentClient(), tableName()));
export const membershipStore = /* @__PURE__ */ once(() => new DynamoMembershipStore(documentClient(), tableName()));
export const idempotencyStore = /* @__PURE__ */ once(() => new DynamoIdempotencyStore(documentClient(), tableName()));

/** Grant `invitationKey`: only the functions that invite or join; none of them holds the access-token signing key set. */
export const invitationKey = /* @__PURE__ */ once<HmacKeySource>(() =>
  grantedKey<HmacKeySource>('INVITATION_KEY', createSecretsManagerHmacKeyRing, (file) => new FileHmacKeyRing(file)),
);

export const invitationTokens = /* @__PURE__ */ once(() => new InvitationTokens(invitationKey(), { issuer: issuer() }, systemClock));

export const portal = /* @__PURE__ */ once(
  () =>
    new Portal({
      teams: teamStore(),
      memberships: membershipStore(),
      invites: new DynamoInvitationStore(documentClient(), tableName()),
      teamCredentials: new DynamoTeamCredentialStore(documentClient(), tableName()),
      idempotency: idempotencyStore(),
      tenant,
      tenantConfigured: auth0Configured,
      // Lazy: only the invitation and join functions sign or verify invitations.
      get invitations() {
        return invitationTokens();
      },
      profiles: credentialStore(),
      clock: systemClock,
      settings: {
        adminEmails: settings().PORTAL_ADMIN_EMAILS,
        audiences: { sandbox: settings().SANDBOX_API_AUDIENCES, production: settings().PRODUCTION_API_AUDIENCES },
        invitationTtlSeconds: settings().PORTAL_INVITATION_TTL_SECONDS,
        adminInvitationTtlSeconds: Math.min(settings().ADMIN_INVITATION_TTL_SECONDS, settings().PORTAL_INVITATION_TTL_SECONDS),
        idempotencyTtlSeconds: settings().PORTAL_IDEMPOTENCY_TTL_SECONDS,
        maxCredentialsPerTeam: settings().PORTAL_MAX_CREDENTIALS_PER_TEAM,
        publicBaseUrl: settings().PUBLIC_BASE_URL,
        brand: settings().BRAND_JSON,
      },
      log,
      verification: emailVerification(),
      adminDirectory: adminDirectory(),
      mailer: grantedMailer,
      audit: auditTrail(),
    }),
);

/** First admins from the production tenant's app_metadata (only functions given its secret can look). */
export const adminDirectory = /* @__PURE__ */ once(
  () =>
    new AdminDirectory({
      lookup: () => (auth0Configured('production') ? auth0Tenants.production() : undefined),
      clock: systemClock,
      ttlSeconds: settings().PORTAL_AUTH0_ADMIN_CACHE_SECONDS,
      log,
    }),
);

/** Teams left without members: their Auth0 clients go, right after the account deletion or on the schedule (ops/team-cleanup). */
export const teamCleanup = /* @__PURE__ */ once(
  () =>
    new TeamCleanup({
      store: new DynamoCleanupStore(documentClient(), tableName()),
      tenant,
      tenantConfigured: auth0Configured,
      clock: systemClock,
      log,
    }),
);
