import { deleteAccountNow } from './core/account-deletion';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Argon2Hasher } from './adapters/argon2-hasher';
import { MigratingHasher } from './adapters/migrating-hasher';
import { DynamoAccountImporter } from './adapters/dynamo/account-importer';
import { LegacyLoginClient } from './adapters/partners/legacy-login-client';
import { LegacyMigration } from './core/legacy-migration';
import { DynamoAccountStore } from './adapters/dynamo/account-store';
import { createDocumentClient } from './adapters/dynamo/client';
import { DynamoThrottleStore } from './adapters/dynamo/throttle-store';
import { FileKeySource } from './adapters/keys/file-key-source';
import { createSecretsManagerKeySource } from './adapters/keys/secrets-manager-key-source';
import { createSecretsManagerPublicKeySource, FilePublicKeySource } from './adapters/keys/public-key-sources';
import { OutboxMailer } from './adapters/mail/outbox-mailer';
import { ConfigurationError, optionalEnv, requiredEnv, settings } from './config';
import { AccessTokens } from './core/access-tokens';
import { systemClock } from './core/clock';
import { LoginFlow } from './core/login-flow';
import type { HmacKeySource, KeySetSource, Mailer, PublicKeySetSource, RefreshTokenKey } from './core/ports';
import { createSecretsManagerHmacKeyRing, FileHmacKeyRing } from './adapters/keys/hmac-key-ring';
import { randomToken } from './core/random';
import { Sessions } from './core/sessions';
import { SignInThrottle } from './core/throttle';
import { LimitedMailer } from './core/mail-limits';
import { Auth0ManagementClient } from './adapters/auth0/management-client';
import { credentialVariables, EnvTenantCredentials, createSecretsManagerTenantCredentials } from './adapters/auth0/credentials';
import { DynamoPortalStore } from './adapters/dynamo/portal-store';
import { InvitationTokens } from './core/portal/invitation-tokens';
import { Portal } from './core/portal/portal';
import type { Environment } from './core/portal/ports';
import { log } from './http/log';
import { count } from './http/metrics';
import { AcronisClient } from './adapters/partners/acronis-client';
import { ASTRATO_DEFAULT_BASE_URL, AstratoClient } from './adapters/partners/astrato-client';
import { partnerCredentialSource } from './adapters/partners/sources';
import { AcronisHandoff } from './core/sso/acronis';
import { AstratoHandoff } from './core/sso/astrato';
import { PasswordCheck } from './core/password-check';
import { PARTNER_SECRET_ENV } from './routes';
import { DynamoDeviceGrantStore } from './adapters/dynamo/device-store';
import { Activation } from './core/oauth/activation';
import { AuthorizationServer } from './core/oauth/authorization-server';
import { ClientRegistry } from './core/oauth/clients';
import { DeviceFlow } from './core/oauth/device-flow';
import { PasswordReset } from './core/password-reset';
import { DynamoVerificationStore } from './adapters/dynamo/verification-store';
import { EmailVerification } from './core/email-verification';
import { AdminDirectory } from './core/portal/admin-directory';
import { TeamCleanup } from './core/portal/team-cleanup';
import { DynamoCleanupStore } from './adapters/dynamo/cleanup-store';
import { SessionCheck } from './core/session-check';
import { partnerBudgetMs } from './time-budget';
import { DynamoAdminStore } from './adapters/dynamo/admin-store';
import { DynamoAuditStore } from './adapters/dynamo/audit-store';
import { AuditTrail } from './core/admin/audit';
import { UserAdmin } from './core/admin/user-admin';
import { Bans } from './core/admin/bans';
import { DynamoBanStore } from './adapters/dynamo/ban-store';
import { DynamoFactorStore } from './adapters/dynamo/factor-store';
import { createSecretsManagerFactorKey, FileFactorKey } from './adapters/keys/factor-key';
import { SecretBox } from './core/factors/secret-box';
import { SecondFactors } from './core/factors/second-factors';
import type { FactorKey } from './core/factors/ports';
import { isPrivileged } from './core/factors/policy';
import { FactorReset } from './core/factors/operator-reset';
import { Passkeys } from './core/factors/passkeys';
import { DynamoPasskeyChallengeStore } from './adapters/dynamo/passkey-challenge-store';
import { PORTAL_ADMIN } from './core/portal/ports';
import { isEmailVerified } from './core/email-verification';
import { normalizeEmail } from './core/email';

/**
 * The composition root. Each piece is built on first use, once per Lambda
 * instance, from the environment the stack gave this function; a function
 * that was not granted a resource has no variable for it and fails loudly if
 * it ever reaches for it.
 */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

const documentClient = /* @__PURE__ */ once<DynamoDBDocumentClient>(() =>
  createDocumentClient({
    endpoint: optionalEnv('DYNAMODB_ENDPOINT'),
    region: optionalEnv('AWS_REGION') ?? 'us-east-1',
    connectTimeoutMs: settings().DYNAMODB_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: settings().DYNAMODB_REQUEST_TIMEOUT_MS,
  }),
);
const tableName = () => requiredEnv('TABLE_NAME');

export const accountStore = /* @__PURE__ */ once(() => new DynamoAccountStore(documentClient(), tableName()));
export const throttleStore = /* @__PURE__ */ once(() => new DynamoThrottleStore(documentClient(), tableName()));

export const keySource = /* @__PURE__ */ once<KeySetSource>(() => {
  const secretArn = optionalEnv('SIGNING_KEY_SECRET_ARN');
  if (secretArn) return createSecretsManagerKeySource(secretArn);
  const file = optionalEnv('SIGNING_KEY_FILE');
  if (file) return new FileKeySource(file);
  throw new ConfigurationError('Missing configuration: SIGNING_KEY_SECRET_ARN (or SIGNING_KEY_FILE locally) is not set for this function.');
});

/**
 * The public-keys-only document, for functions that verify but do not sign
 * (route flag `verifyKey`); undefined in a signing-only function, which then
 * verifies (if ever) with the public halves of its own key set.
 */
export const verificationKeys = /* @__PURE__ */ once<PublicKeySetSource | undefined>(() => {
  const secretArn = optionalEnv('VERIFY_KEYS_SECRET_ARN');
  if (secretArn) return createSecretsManagerPublicKeySource(secretArn);
  const file = optionalEnv('VERIFY_KEYS_FILE');
  if (file) return new FilePublicKeySource(file);
  return undefined;
});

/** The private key set, read only when something is signed: functions that only verify are never granted it. */
const signingKeys: KeySetSource = { get: () => keySource().get(), reload: () => keySource().reload() };

export const issuer = () => settings().TOKEN_ISSUER ?? settings().PUBLIC_BASE_URL;

export const accessTokens = /* @__PURE__ */ once(
  () =>
    new AccessTokens(
      signingKeys,
      { issuer: issuer(), audience: settings().TOKEN_AUDIENCE, ttlSeconds: settings().ACCESS_TOKEN_TTL_SECONDS },
      systemClock,
      verificationKeys(),
    ),
);

export const hasher = /* @__PURE__ */ once(
  () =>
    new MigratingHasher(
      new Argon2Hasher(
        { memoryCost: settings().ARGON2_MEMORY_KIB, timeCost: settings().ARGON2_TIME_COST, parallelism: 1 },
        { budgetMs: settings().ARGON2_QUEUE_BUDGET_MS },
      ),
    ),
);

/** Where email is handed over: SES, or locally the outbox folder. Only `mailer` below sends through it. */
const deliveryMailer = /* @__PURE__ */ once<Mailer>(() => {
  const outbox = optionalEnv('OUTBOX_DIR');
  if (outbox) return new OutboxMailer(outbox);
  const from = requiredEnv('MAIL_FROM');
  const configurationSet = optionalEnv('SES_CONFIGURATION_SET');
  // The SES client loads on the first email, not at cold start: most functions that can mail (login) rarely do.
  const ses = once(() => import('./adapters/mail/ses-mailer').then(({ createSesMailer }) => createSesMailer(from, configurationSet)));
  return { send: async (email) => (await ses()).send(email) };
});

/** Every email of every kind: links only to PUBLIC_BASE_URL, per-recipient and per-sender limits taken before sending. */
export const mailer = /* @__PURE__ */ once<Mailer>(
  () =>
    new LimitedMailer(deliveryMailer(), throttleStore(), systemClock, () => ({
      windowSeconds: settings().MAIL_LIMIT_WINDOW_SECONDS,
      perRecipient: settings().MAIL_PER_RECIPIENT_PER_WINDOW,
      perSender: settings().MAIL_PER_SENDER_PER_WINDOW,
      publicBaseUrl: publicBaseUrl(),
    })),
);

/** Read on the first rotation only: the stack gives the key to the functions that rotate refresh tokens, and to no other. */
export const refreshTokenKey = /* @__PURE__ */ once<RefreshTokenKey>(() => {
  const secretArn = optionalEnv('REFRESH_KEY_SECRET_ARN');
  if (secretArn) return createSecretsManagerHmacKeyRing(secretArn);
  const file = optionalEnv('REFRESH_KEY_FILE');
  if (file) return new FileHmacKeyRing(file);
  throw new ConfigurationError('Missing configuration: REFRESH_KEY_SECRET_ARN (or REFRESH_KEY_FILE locally) is not set for this function.');
});

export const sessions = /* @__PURE__ */ once(
  () =>
    new Sessions(
      accountStore(),
      {
        absoluteTtlSeconds: settings().REFRESH_ABSOLUTE_TTL_SECONDS,
        idleTtlSeconds: settings().REFRESH_IDLE_TTL_SECONDS,
        graceSeconds: settings().REFRESH_GRACE_SECONDS,
      },
      systemClock,
      { get: () => refreshTokenKey().get(), reload: () => refreshTokenKey().reload?.() ?? refreshTokenKey().get() },
    ),
);

export const signInThrottle = /* @__PURE__ */ once(
  () =>
    new SignInThrottle(throttleStore(), {
      account: { freeFailures: settings().LOGIN_BACKOFF_FREE_FAILURES, baseDelaySeconds: 1, maxDelaySeconds: settings().LOGIN_BACKOFF_MAX_SECONDS },
      ip: { maxFailures: settings().LOGIN_IP_MAX_FAILURES, windowSeconds: settings().LOGIN_IP_WINDOW_SECONDS },
    }),
);

/** A hash of a random password, made once per instance with the current parameters. */
const decoyHash = /* @__PURE__ */ once(() => hasher().hash(randomToken(24)));

export const loginFlow = /* @__PURE__ */ once(
  () =>
    new LoginFlow({
      accounts: accountStore(),
      throttles: throttleStore(),
      signInThrottle: signInThrottle(),
      hasher: hasher(),
      sessions: sessions(),
      tokens: accessTokens(),
      get sessionCheck() {
        return sessionCheck();
      },
      // Lazy: only the reset function is granted a mail sender.
      mailer: { send: (email) => mailer().send(email) },
      clock: systemClock,
      passwordCheck: passwordCheck(),
      settings: {
        termsRequired: settings().TERMS_REQUIRED,
        publicBaseUrl: settings().PUBLIC_BASE_URL.replace(/\/+$/, ''),
        resetTokenTtlSeconds: settings().RESET_TOKEN_TTL_SECONDS,
        resetEmailLimit: { maxPerWindow: settings().RESET_EMAILS_PER_HOUR, windowSeconds: 3600 },
        loginRequiresVerifiedEmail: settings().LOGIN_REQUIRES_VERIFIED_EMAIL,
        teamCleanupWithinMs: settings().TEAM_CLEANUP_WAIT_MS,
        expiredTokenGraceSeconds: settings().REFRESH_IDLE_TTL_SECONDS,
      },
      verification: emailVerification(),
      teamCleanup: teamCleanup(),
      passkeys: { signIn: (...args) => passkeys().signIn(...args) },
      // Lazy: read only by account deletion (its step-up).
      secondFactors: { requireRecentFactorIfEnrolled: (...args) => secondFactors().requireRecentFactorIfEnrolled(...args) },
    }),
);

/* SSO hand-offs (issue 3). Partner clients keep their token caches per instance; hand-off settings are read per call. */
const partnerHttpOptions = () => ({
  timeoutMs: settings().PARTNER_TIMEOUT_MS,
  retry: { maxRetries: settings().PARTNER_MAX_RETRIES, baseDelayMs: 200, maxDelayMs: settings().PARTNER_MAX_RETRY_WAIT_MS },
  budgetMs: partnerBudgetMs(settings().PARTNER_BUDGET_MS),
});

export const astratoClient = /* @__PURE__ */ once(
  () =>
    new AstratoClient(
      partnerCredentialSource({
        partner: 'Astrato',
        arnVariable: PARTNER_SECRET_ENV.astrato,
        envPrefix: 'ASTRATO',
        defaultBaseUrl: ASTRATO_DEFAULT_BASE_URL,
        ttlMs: settings().PARTNER_SECRET_TTL_SECONDS * 1000,
      }),
      partnerHttpOptions(),
      systemClock,
    ),
);

export const acronisClient = /* @__PURE__ */ once(
  () =>
    new AcronisClient(
      partnerCredentialSource({
        partner: 'Acronis',
        arnVariable: PARTNER_SECRET_ENV.acronis,
        envPrefix: 'ACRONIS',
        ttlMs: settings().PARTNER_SECRET_TTL_SECONDS * 1000,
      }),
      partnerHttpOptions(),
      systemClock,
    ),
);

export const astratoHandoff = /* @__PURE__ */ once(
  () =>
    new AstratoHandoff(accountStore(), astratoClient(), () => ({
      defaultGroupIds: settings().ASTRATO_DEFAULT_GROUP_IDS,
      applyPendingInvites: settings().ASTRATO_APPLY_PENDING_INVITES,
    })),
);

export const acronisHandoff = /* @__PURE__ */ once(
  () =>
    new AcronisHandoff(accountStore(), acronisClient(), () => ({
      identifyBy: settings().ACRONIS_IDENTIFY_BY,
      loginField: settings().ACRONIS_LOGIN_FIELD,
      externalIdField: settings().ACRONIS_EXTERNAL_ID_FIELD,
      userIdField: settings().ACRONIS_USER_ID_FIELD,
      targetAllowList: settings().ACRONIS_TARGET_ALLOWLIST,
      urlStyle: settings().ACRONIS_URL_STYLE,
    })),
);

/** Password proof for POST /sso/astrato/login: the sign-in back-off without a session, and without the signing key. */
export const passwordCheck = /* @__PURE__ */ once(
  () =>
    new PasswordCheck({
      accounts: accountStore(),
      signInThrottle: signInThrottle(),
      hasher: hasher(),
      clock: systemClock,
      decoyHash,
      legacy: legacyMigration(),
      // Lazy: read only for an account that has a second factor.
      secondFactors: { verify: (...args) => secondFactors().verify(...args) },
    }),
);

/** Lazy migration from the old login API, when LEGACY_LOGIN_URL is set (docs/migration.md). */
export const legacyMigration = /* @__PURE__ */ once(() => {
  const loginUrl = settings().LEGACY_LOGIN_URL;
  if (!loginUrl) return undefined;
  const legacy = new LegacyLoginClient(
    {
      loginUrl,
      profileUrl: settings().LEGACY_PROFILE_URL,
      timeoutMs: settings().LEGACY_TIMEOUT_MS,
      circuit: { failuresToOpen: settings().LEGACY_CIRCUIT_FAILURES, openMs: settings().LEGACY_CIRCUIT_OPEN_SECONDS * 1000 },
    },
    systemClock,
  );
  return new LegacyMigration({
    legacy,
    accounts: accountStore(),
    writer: new DynamoAccountImporter(documentClient(), tableName()),
    hasher: hasher(),
    clock: systemClock,
    decoyHash,
    onUnavailable: (reason) => {
      log.warn('Legacy login API unavailable; the sign-in was answered as a failed one', { reason });
      count('PartnerCallFailed', { partner: 'legacy-login' });
    },
  });
});

// TV sign-in (RFC 8628) and the web password reset.

/** PUBLIC_BASE_URL without a trailing slash: every absolute URL we hand out starts with it. */
export const publicBaseUrl = () => settings().PUBLIC_BASE_URL.replace(/\/+$/, '');

/** Where users enter the TV's code: DEVICE_VERIFICATION_URI (a short vanity URL) or {PUBLIC_BASE_URL}/activate. */
export const verificationUri = () => settings().DEVICE_VERIFICATION_URI ?? `${publicBaseUrl()}/activate`;

export const deviceGrantStore = /* @__PURE__ */ once(() => new DynamoDeviceGrantStore(documentClient(), tableName()));

export const clientRegistry = /* @__PURE__ */ once(() => ClientRegistry.parse(settings().DEVICE_CLIENT_IDS));

export const deviceFlow = /* @__PURE__ */ once(
  () =>
    new DeviceFlow(
      {
        store: deviceGrantStore(),
        clients: clientRegistry(),
        clock: systemClock,
        // Lazy: only the token function is granted the signing key; the device-authorization and /activate functions are not.
        get sessions() {
          return sessions();
        },
        get tokens() {
          return accessTokens();
        },
        get profiles() {
          return accountStore();
        },
        verifiedSignIn: verifiedSignIn(),
      },
      {
        codeTtlSeconds: settings().DEVICE_CODE_TTL_SECONDS,
        pollIntervalSeconds: settings().DEVICE_POLL_INTERVAL_SECONDS,
        verificationUri: verificationUri(),
      },
    ),
);

export const authorizationServer = /* @__PURE__ */ once(
  () =>
    new AuthorizationServer(
      { devices: deviceFlow(), sessions: sessions(), tokens: accessTokens(), accounts: accountStore(), verifiedSignIn: verifiedSignIn() },
      { issuer: issuer(), baseUrl: publicBaseUrl() },
    ),
);

export const activation = /* @__PURE__ */ once(
  () =>
    new Activation(
      {
        devices: deviceFlow(),
        clients: clientRegistry(),
        throttles: throttleStore(),
        signIn: passwordCheck(),
        // Lazy: the code lookup never verifies a token, so its function has no verification key.
        get sessions() {
          return sessionCheck();
        },
        clock: systemClock,
        verifiedSignIn: verifiedSignIn(),
      },
      { maxFailures: settings().ACTIVATE_MAX_FAILURES, windowSeconds: settings().ACTIVATE_WINDOW_SECONDS },
    ),
);

export const passwordReset = /* @__PURE__ */ once(
  () =>
    new PasswordReset({
      accounts: accountStore(),
      hasher: hasher(),
      // Lazy: only the confirm function is granted a mail sender.
      mailer: { send: (email) => mailer().send(email) },
      clock: systemClock,
      settings: { publicBaseUrl: publicBaseUrl(), resetTokenTtlSeconds: settings().RESET_TOKEN_TTL_SECONDS },
    }),
);

// Developer portal (issue 4): one Management API client per Auth0 tenant, each with its own token cache.

const auth0Tenant = (environment: Environment) => {
  const arn = optionalEnv(credentialVariables(environment).secretArn);
  const credentials = arn
    ? createSecretsManagerTenantCredentials(arn, environment, settings().PARTNER_SECRET_TTL_SECONDS * 1000)
    : new EnvTenantCredentials(environment);
  return new Auth0ManagementClient({
    environment,
    credentials,
    clock: systemClock,
    timeoutMs: settings().PARTNER_TIMEOUT_MS,
    retry: { maxRetries: settings().PARTNER_MAX_RETRIES, baseDelayMs: 200, maxDelayMs: settings().PARTNER_MAX_RETRY_WAIT_MS },
    budgetMs: partnerBudgetMs(settings().PARTNER_BUDGET_MS),
  });
};

const auth0Tenants: Record<Environment, () => Auth0ManagementClient> = {
  sandbox: once(() => auth0Tenant('sandbox')),
  production: once(() => auth0Tenant('production')),
};

/** A tenant is configured when its function was given the secret (AWS) or the local variables. */
const auth0Configured = (environment: Environment) => {
  const names = credentialVariables(environment);
  return !!(optionalEnv(names.secretArn) || optionalEnv(names.domain));
};

export const portalStore = /* @__PURE__ */ once(() => new DynamoPortalStore(documentClient(), tableName()));

/** Only the functions that invite or join are given the invitation key; none of them holds the access-token signing key set. */
export const invitationKey = /* @__PURE__ */ once<HmacKeySource>(() => {
  const secretArn = optionalEnv('INVITATION_KEY_SECRET_ARN');
  if (secretArn) return createSecretsManagerHmacKeyRing(secretArn);
  const file = optionalEnv('INVITATION_KEY_FILE');
  if (file) return new FileHmacKeyRing(file);
  throw new ConfigurationError('Missing configuration: INVITATION_KEY_SECRET_ARN (or INVITATION_KEY_FILE locally) is not set for this function.');
});

export const invitationTokens = /* @__PURE__ */ once(() => new InvitationTokens(invitationKey(), { issuer: issuer() }, systemClock));

export const portal = /* @__PURE__ */ once(
  () =>
    new Portal({
      store: portalStore(),
      tenant: (environment) => auth0Tenants[environment](),
      tenantConfigured: auth0Configured,
      // Lazy: only the invitation and join functions sign or verify invitations.
      get invitations() {
        return invitationTokens();
      },
      profiles: accountStore(),
      clock: systemClock,
      settings: {
        adminEmails: settings().PORTAL_ADMIN_EMAILS,
        audiences: { sandbox: settings().SANDBOX_API_AUDIENCES, production: settings().PRODUCTION_API_AUDIENCES },
        invitationTtlSeconds: settings().PORTAL_INVITATION_TTL_SECONDS,
        adminInvitationTtlSeconds: Math.min(settings().ADMIN_INVITATION_TTL_SECONDS, settings().PORTAL_INVITATION_TTL_SECONDS),
        idempotencyTtlSeconds: settings().PORTAL_IDEMPOTENCY_TTL_SECONDS,
        maxCredentialsPerTeam: settings().PORTAL_MAX_CREDENTIALS_PER_TEAM,
        publicBaseUrl: settings().PUBLIC_BASE_URL,
      },
      log,
      verification: emailVerification(),
      adminDirectory: adminDirectory(),
      // Lazy: only the invitation functions are granted a mail sender.
      mailer: { send: (email) => mailer().send(email) },
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

// Verified identity (docs/verified-identity.md): verification links, and the one "is this address proven?" check.

export const verificationStore = /* @__PURE__ */ once(() => new DynamoVerificationStore(documentClient(), tableName()));

export const emailVerification = /* @__PURE__ */ once(
  () =>
    new EmailVerification({
      store: verificationStore(),
      accounts: accountStore(),
      throttles: throttleStore(),
      // Lazy: only functions that may send a link are granted a mail sender.
      mailer: { send: (email) => mailer().send(email) },
      clock: systemClock,
      settings: {
        publicBaseUrl: publicBaseUrl(),
        tokenTtlSeconds: settings().EMAIL_VERIFICATION_TTL_SECONDS,
        resendLimit: { maxPerWindow: settings().VERIFICATION_EMAILS_PER_HOUR, windowSeconds: 3600 },
      },
      log,
    }),
);

/** LOGIN_REQUIRES_VERIFIED_EMAIL for TV sign-in and the OAuth refresh grant: absent when off, so those paths read nothing more. */
export const verifiedSignIn = () => (settings().LOGIN_REQUIRES_VERIFIED_EMAIL ? emailVerification() : undefined);

/** Teams left without members: their Auth0 clients go, right after the account deletion or on the schedule (ops/team-cleanup). */
export const teamCleanup = /* @__PURE__ */ once(
  () =>
    new TeamCleanup({
      store: new DynamoCleanupStore(documentClient(), tableName()),
      tenant: (environment) => auth0Tenants[environment](),
      tenantConfigured: auth0Configured,
      clock: systemClock,
      log,
    }),
);

/* Limits and revocation (issue 10): every route that acts for a user checks the session through this, not only the signature. */
export const sessionCheck = /* @__PURE__ */ once(() => new SessionCheck({ tokens: accessTokens(), accounts: accountStore() }));

// Operator console (issue 14): docs/operator-console.md.

export const adminStore = /* @__PURE__ */ once(() => new DynamoAdminStore(documentClient(), tableName()));
export const auditStore = /* @__PURE__ */ once(() => new DynamoAuditStore(documentClient(), tableName()));

/** The console's trail; role grants in the portal write their entries through it too (in the grant's transaction). */
export const auditTrail = /* @__PURE__ */ once(
  () =>
    new AuditTrail(auditStore(), { info: log.info, error: log.error, metric: () => count('AdminAction') }, systemClock, () => settings().AUDIT_RETENTION_DAYS),
);

export const bans = /* @__PURE__ */ once(() => new Bans({ bans: new DynamoBanStore(documentClient(), tableName()), audit: auditTrail() }));

export const userAdmin = /* @__PURE__ */ once(
  () =>
    new UserAdmin({
      accounts: accountStore(),
      users: adminStore(),
      audit: auditTrail(),
      auditStore: auditStore(),
      throttles: throttleStore(),
      portal: portalStore(),
      // Lazy: only the verification-email function is granted a mail sender.
      // The same single-use link the registration email carries (EmailVerification), so /verify-email confirms it.
      verificationMailer: {
        send: async (userId: string) => {
          const profile = await accountStore().getProfile(userId);
          if (profile) await emailVerification().sendLink(profile);
        },
      },
      // The self-deletion use case; the Auth0 tenants are read only when a team loses its last member.
      deletion: {
        deleteUser: (userId, audit) =>
          deleteAccountNow({ accounts: accountStore(), teamCleanup: teamCleanup(), teamCleanupWithinMs: settings().TEAM_CLEANUP_WAIT_MS }, userId, audit),
      },
      clock: systemClock,
      settings: {
        adminEmails: settings().USER_ADMIN_EMAILS,
        portalAdminEmails: settings().PORTAL_ADMIN_EMAILS,
        backoff: { freeFailures: settings().LOGIN_BACKOFF_FREE_FAILURES, baseDelaySeconds: 1, maxDelaySeconds: settings().LOGIN_BACKOFF_MAX_SECONDS },
        verificationEmailsPerHour: settings().ADMIN_VERIFICATION_EMAILS_PER_HOUR,
        idempotencyTtlSeconds: settings().PORTAL_IDEMPOTENCY_TTL_SECONDS,
      },
    }),
);

// Second factors (issue 20): docs/factors.md.

/** Seals TOTP secrets at rest; only the functions that enrol or check a code are given it (route flag `factorKey`). */
export const factorKey = /* @__PURE__ */ once<FactorKey>(() => {
  const secretArn = optionalEnv('FACTOR_KEY_SECRET_ARN');
  if (secretArn) return createSecretsManagerFactorKey(secretArn);
  const file = optionalEnv('FACTOR_KEY_FILE');
  if (file) return new FileFactorKey(file);
  throw new ConfigurationError('Missing configuration: FACTOR_KEY_SECRET_ARN (or FACTOR_KEY_FILE locally) is not set for this function.');
});

export const factorStore = /* @__PURE__ */ once(() => new DynamoFactorStore(documentClient(), tableName()));

export const secondFactors = /* @__PURE__ */ once(
  () =>
    new SecondFactors({
      store: factorStore(),
      box: new SecretBox({ get: () => factorKey().get() }),
      throttles: throttleStore(),
      profiles: accountStore(),
      // Lazy: functions that never send a notice are not granted a mail sender.
      mailer: { send: (email) => mailer().send(email) },
      clock: systemClock,
      settings: {
        issuer: settings().TOTP_ISSUER,
        guesses: {
          perAccount: settings().OTP_GUESSES_PER_ACCOUNT,
          perAddress: settings().OTP_GUESSES_PER_ADDRESS,
          windowSeconds: settings().OTP_GUESS_WINDOW_SECONDS,
        },
        pendingTtlSeconds: settings().FACTOR_PENDING_TTL_SECONDS,
        stepUpWindowSeconds: settings().STEP_UP_WINDOW_SECONDS,
      },
      passkeys: () => passkeys(),
      auditRecoveryCodeUsed: async (user, correlationId) => {
        await new AuditTrail(
          auditStore(),
          { info: log.info, error: log.error, metric: () => count('AdminAction') },
          systemClock,
          () => settings().AUDIT_RETENTION_DAYS,
        ).record({
          actorId: user.id,
          actorEmail: user.email,
          action: 'recovery-code-used',
          targetUserId: user.id,
          targetEmail: user.email,
          correlationId,
        });
      },
    }),
);

/** A portal admin or user admin: such an account must keep a second factor. */
export async function privilegedAccount(userId: string): Promise<boolean> {
  const [membership, profile] = await Promise.all([portalStore().getMembership(userId), accountStore().getProfile(userId)]);
  return isPrivileged(membership?.permissions ?? [], profile?.email ?? '', {
    portalAdminEmails: settings().PORTAL_ADMIN_EMAILS,
    userAdminEmails: settings().USER_ADMIN_EMAILS,
  });
}

/** The console's reset of a user's second factors: audited in the console's trail, only a portal admin for an admin's account. */
export const factorReset = /* @__PURE__ */ once(
  () =>
    new FactorReset({
      factors: secondFactors(),
      profiles: accountStore(),
      privileged: privilegedAccount,
      portalAdmin: async (userId) => {
        const [membership, profile] = await Promise.all([portalStore().getMembership(userId), accountStore().getProfile(userId)]);
        if ((membership?.permissions ?? []).includes(PORTAL_ADMIN)) return true;
        // A configured address counts once proven (as in the portal); the Auth0 directory is not consulted here.
        return !!profile && isEmailVerified(profile) && settings().PORTAL_ADMIN_EMAILS.includes(normalizeEmail(profile.email));
      },
      audit: new AuditTrail(
        auditStore(),
        { info: log.info, error: log.error, metric: () => count('AdminAction') },
        systemClock,
        () => settings().AUDIT_RETENTION_DAYS,
      ),
    }),
);

// Passkeys (issue 20, docs/factors.md "Passkeys"): one more factor kind, and a sign-in alone.

export const passkeyChallengeStore = /* @__PURE__ */ once(() => new DynamoPasskeyChallengeStore(documentClient(), tableName()));

/** The relying party: PUBLIC_BASE_URL's host (a custom domain moves it) and its origin, the one an answer may come from. */
export const passkeyRelyingParty = () => {
  const url = new URL(publicBaseUrl());
  return { rpId: url.hostname, origins: [url.origin] };
};

export const passkeys: () => Passkeys = /* @__PURE__ */ once(
  () =>
    new Passkeys({
      store: factorStore(),
      challenges: passkeyChallengeStore(),
      throttles: throttleStore(),
      accounts: accountStore(),
      factors: secondFactors(),
      clock: systemClock,
      settings: {
        ...passkeyRelyingParty(),
        rpName: settings().TOTP_ISSUER,
        challengeTtlSeconds: settings().PASSKEY_CHALLENGE_TTL_SECONDS,
        challengesPerAddress: { limit: settings().PASSKEY_CHALLENGES_PER_ADDRESS, windowSeconds: settings().PASSKEY_CHALLENGE_WINDOW_SECONDS },
        guesses: {
          perAccount: settings().OTP_GUESSES_PER_ACCOUNT,
          perAddress: settings().OTP_GUESSES_PER_ADDRESS,
          windowSeconds: settings().OTP_GUESS_WINDOW_SECONDS,
        },
      },
      onClonedAuthenticator: (event) => log.warn('passkey refused: its signature counter went backwards (a cloned authenticator?)', event),
    }),
);
