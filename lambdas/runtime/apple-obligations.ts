import { HttpAppleTokenRevoker } from '../adapters/federation/apple-token-revoker';
import { optionalEnv, settings } from '../config';
import { systemClock } from '../core/clock';
import { SecretBox } from '../core/factors/secret-box';
import { AppleNotifications } from '../core/federation/apple-notifications';
import { ProviderTokenRevocation } from '../core/federation/provider-token-revocation';
import { log } from '../http/log';
import { count } from '../http/metrics';
import { partnerBudgetMs } from '../time-budget';
import { factorKey } from './factors';
import { federatedIdentityStore, providerSettings, providerTrust } from './federation';
import { once, sessionStore, throttleStore } from './shared';

/** What Sign in with Apple obliges us to do: act on its notifications, revoke its tokens when an account is deleted. */

/** Apple's server-to-server notifications (docs/native-sign-in.md). Grant: Apple's secret only (the allowed client ids). */
export const appleNotifications = /* @__PURE__ */ once(() => {
  const { issuers, keys } = providerTrust('apple');
  // Read once per instance, as the sign-in's verifier does; a failed read is tried again on the next notification.
  let clientIds: Promise<string[]> | undefined;
  return new AppleNotifications({
    trust: async () => {
      clientIds ??= providerSettings('apple')
        .then((found) => found.clientIds)
        .catch((error: unknown) => {
          clientIds = undefined;
          throw error;
        });
      const allowed = await clientIds;
      return allowed.length ? { issuers, keys: keys(), clientIds: allowed } : undefined;
    },
    identities: federatedIdentityStore(),
    sessions: sessionStore(),
    throttles: throttleStore(),
    clock: systemClock,
  });
});

/**
 * Apple refresh tokens, sealed under the factor key, revoked after an account deletion. Grants (the deletion routes):
 * `factorKey` (to open them) and Apple's secret (the team key signing the client secret), both read only when there is
 * a token to revoke.
 */
export const providerTokenRevocation = /* @__PURE__ */ once(() => {
  const issuer = optionalEnv('APPLE_ISSUER') ?? 'https://appleid.apple.com';
  let appleSettings: ReturnType<typeof providerSettings> | undefined;
  return new ProviderTokenRevocation({
    identities: federatedIdentityStore(),
    box: new SecretBox({ get: () => factorKey().get() }),
    apple: new HttpAppleTokenRevoker(
      `${issuer.replace(/\/+$/, '')}/auth/revoke`,
      () => {
        appleSettings ??= providerSettings('apple');
        return appleSettings;
      },
      Math.min(settings().PARTNER_TIMEOUT_MS, partnerBudgetMs(settings().PARTNER_BUDGET_MS)),
    ),
    onFailure: (reason) => {
      log.warn('an Apple token could not be revoked after the account deletion', { reason });
      count('PartnerCallFailed', { partner: 'apple' });
    },
  });
});

/** The deletion's hook: lazy, so a function builds it only when it deletes an account. */
export const providerTokens = { collect: (userId: string) => providerTokenRevocation().collect(userId) };
