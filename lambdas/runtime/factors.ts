import { DynamoFactorStore } from '../adapters/dynamo/factor-store';
import { DynamoPasskeyChallengeStore } from '../adapters/dynamo/passkey-challenge-store';
import { createSecretsManagerFactorKey, FileFactorKey } from '../adapters/keys/factor-key';
import { settings } from '../config';
import { systemClock } from '../core/clock';
import { normalizeEmail } from '../core/email';
import { isEmailVerified } from '../core/email-verification';
import { FactorReset } from '../core/factors/operator-reset';
import { Passkeys } from '../core/factors/passkeys';
import { isPrivileged } from '../core/factors/policy';
import type { FactorKey } from '../core/factors/ports';
import { SecondFactors } from '../core/factors/second-factors';
import { SecretBox } from '../core/factors/secret-box';
import { PORTAL_ADMIN } from '../core/portal/ports';
import { log } from '../http/log';
import { count } from '../http/metrics';
import { auditTrail } from './admin';
import { membershipStore } from './portal';
import { credentialStore, documentClient, grantedKey, grantedMailer, once, publicBaseUrl, tableName, throttleStore } from './shared';

/** Second factors (docs/security.md). */

/** Grant `factorKey`: seals TOTP secrets at rest; only the functions that enrol or check a code. */
export const factorKey = /* @__PURE__ */ once<FactorKey>(() =>
  grantedKey<FactorKey>('FACTOR_KEY', createSecretsManagerFactorKey, (file) => new FileFactorKey(file)),
);

export const factorStore = /* @__PURE__ */ once(() => new DynamoFactorStore(documentClient(), tableName()));

export const secondFactors = /* @__PURE__ */ once(
  () =>
    new SecondFactors({
      store: factorStore(),
      box: new SecretBox({ get: () => factorKey().get() }),
      throttles: throttleStore(),
      profiles: credentialStore(),
      mailer: grantedMailer,
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
        brand: settings().BRAND_JSON,
      },
      passkeys: () => passkeys(),
      auditRecoveryCodeUsed: async (user, correlationId) => {
        await auditTrail().record({
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

/** The code check for sign-in, built only for an account that has a second factor (grant `factorKey`). */
export const lazySecondFactors: Pick<SecondFactors, 'verify'> = { verify: (...args) => secondFactors().verify(...args) };

/** A portal admin or user admin: such an account must keep a second factor. */
export async function privilegedAccount(userId: string): Promise<boolean> {
  const [membership, profile] = await Promise.all([membershipStore().getMembership(userId), credentialStore().getProfile(userId)]);
  return isPrivileged(membership?.permissions ?? [], profile?.email ?? '', {
    portalAdminEmails: settings().PORTAL_ADMIN_EMAILS,
    userAdminEmails: settings().USER_ADMIN_EMAILS,
  });
}

/** Whether the caller may reset an admin's factors: a portal admin by membership, or by a configured address once proven. */
async function portalAdmin(userId: string): Promise<boolean> {
  const [membership, profile] = await Promise.all([membershipStore().getMembership(userId), credentialStore().getProfile(userId)]);
  if ((membership?.permissions ?? []).includes(PORTAL_ADMIN)) return true;
  // A configured address counts once proven (as in the portal); the Auth0 directory is not consulted here.
  return !!profile && isEmailVerified(profile) && settings().PORTAL_ADMIN_EMAILS.includes(normalizeEmail(profile.email));
}

/** The console's reset of a user's second factors: audited in the console's trail, only a portal admin for an admin's account. */
export const factorReset = /* @__PURE__ */ once(
  () => new FactorReset({ factors: secondFactors(), profiles: credentialStore(), privileged: privilegedAccount, portalAdmin, audit: auditTrail() }),
);

/** Passkeys (docs/security.md, "Second factors and passkeys"): one more factor kind, and a sign-in on their own. */
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
      accounts: credentialStore(),
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
      onClonedAuthenticator: (event) => {
        log.warn('passkey refused: its signature counter went backwards (a cloned authenticator?)', event);
        count('PasskeyCloneDetected');
      },
    }),
);
