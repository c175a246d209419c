import { DynamoAccountImporter } from '../adapters/dynamo/account-importer';
import { DynamoPasswordResetStore } from '../adapters/dynamo/password-reset-store';
import { LegacyLoginClient } from '../adapters/partners/legacy-login-client';
import { settings } from '../config';
import { systemClock } from '../core/clock';
import { LegacyMigration } from '../core/legacy-migration';
import { LoginFlow } from '../core/login-flow';
import { MySessions } from '../core/my-sessions';
import { PasswordCheck } from '../core/password-check';
import { PasswordReset } from '../core/password-reset';
import { randomToken } from '../core/random';
import { SignInThrottle } from '../core/throttle';
import { log } from '../http/log';
import { count } from '../http/metrics';
import { providerTokens } from './apple-obligations';
import { lazySecondFactors, passkeys, secondFactors } from './factors';
import { teamCleanup } from './portal';
import {
  accessTokens,
  accountDeletionStore,
  credentialStore,
  documentClient,
  grantedMailer,
  hasher,
  once,
  publicBaseUrl,
  sessionCheck,
  sessionStore,
  sessions,
  singleUseTokenStore,
  tableName,
  throttleStore,
} from './shared';
import { emailVerification } from './verification';

/** Sign-in: the Login Flow, the password proof, the back-off, the legacy migration and the password reset. */

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
      accounts: credentialStore(),
      links: singleUseTokenStore(),
      deletion: accountDeletionStore(),
      throttles: throttleStore(),
      signInThrottle: signInThrottle(),
      hasher: hasher(),
      sessions: sessions(),
      tokens: accessTokens(),
      // Lazy: built on first use, by the routes that check a session (sign-out everywhere, deletion).
      get sessionCheck() {
        return sessionCheck();
      },
      mailer: grantedMailer,
      clock: systemClock,
      passwordCheck: passwordCheck(),
      settings: {
        termsRequired: settings().TERMS_REQUIRED,
        publicBaseUrl: publicBaseUrl(),
        resetTokenTtlSeconds: settings().RESET_TOKEN_TTL_SECONDS,
        brand: settings().BRAND_JSON,
        resetEmailLimit: { maxPerWindow: settings().RESET_EMAILS_PER_HOUR, windowSeconds: 3600 },
        loginRequiresVerifiedEmail: settings().LOGIN_REQUIRES_VERIFIED_EMAIL,
        teamCleanupWithinMs: settings().TEAM_CLEANUP_WAIT_MS,
        expiredTokenGraceSeconds: settings().REFRESH_IDLE_TTL_SECONDS,
      },
      verification: emailVerification(),
      teamCleanup: teamCleanup(),
      providerTokens,
      passkeys: { signIn: (...args) => passkeys().signIn(...args) },
      // Lazy: read only by account deletion (its step-up).
      secondFactors: { requireRecentFactorIfEnrolled: (...args) => secondFactors().requireRecentFactorIfEnrolled(...args) },
    }),
);

/** Password proof (sign-in, POST /sso/astrato/login, /activate): the sign-in back-off without a session, and without the signing key. */
export const passwordCheck = /* @__PURE__ */ once(
  () =>
    new PasswordCheck({
      accounts: credentialStore(),
      signInThrottle: signInThrottle(),
      hasher: hasher(),
      clock: systemClock,
      decoyHash,
      legacy: legacyMigration(),
      secondFactors: lazySecondFactors,
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
    accounts: credentialStore(),
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

/** The web password reset (the link's page and its confirm). */
export const passwordReset = /* @__PURE__ */ once(
  () =>
    new PasswordReset({
      resets: new DynamoPasswordResetStore(documentClient(), tableName(), singleUseTokenStore()),
      profiles: credentialStore(),
      tokens: singleUseTokenStore(),
      hasher: hasher(),
      mailer: grantedMailer,
      clock: systemClock,
      settings: { publicBaseUrl: publicBaseUrl(), resetTokenTtlSeconds: settings().RESET_TOKEN_TTL_SECONDS, brand: settings().BRAND_JSON },
    }),
);

/** The signed-in user's own sessions (GET and DELETE /login-flow/sessions): table reads and one delete, no key. */
export const mySessions = /* @__PURE__ */ once(() => new MySessions(sessionStore(), systemClock));
