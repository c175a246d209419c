import { DynamoFederatedIdentityStore } from '../adapters/dynamo/federated-identity-store';
import { DynamoWebSignInStore } from '../adapters/dynamo/web-sign-in-store';
import { remoteProviderKeys } from '../adapters/federation/provider-keys';
import { type ProviderSettings, providerSettingsFromEnv, providerSettingsFromSecret } from '../adapters/federation/provider-settings';
import { providerWebClient } from '../adapters/federation/provider-web-client';
import { optionalEnv, settings } from '../config';
import { systemClock } from '../core/clock';
import { FederatedSignIn } from '../core/federation/federated-sign-in';
import { IdTokenVerifier } from '../core/federation/id-token';
import { IdentityLinking } from '../core/federation/identity-linking';
import { LinkedIdentities } from '../core/federation/linked-identities';
import { type FederatedProvider, PRODUCTION_ISSUERS, PRODUCTION_JWKS_URLS } from '../core/federation/providers';
import { type ProviderWebClient, WebSignIn } from '../core/federation/web-sign-in';
import { log } from '../http/log';
import { count } from '../http/metrics';
import { PARTNER_SECRET_ENV } from '../routes';
import { partnerBudgetMs } from '../time-budget';
// A cycle on purpose: both sides are built lazily (once), long after the modules loaded.
import { providerTokenRevocation } from './apple-obligations';
import { factorStore, lazySecondFactors, secondFactors } from './factors';
import { accessTokens, credentialStore, documentClient, hasher, once, publicBaseUrl, sessionStore, sessions, tableName, throttleStore } from './shared';
import { signInThrottle } from './sign-in';

/** Native sign-in with Apple and Google (docs/native-sign-in.md). Grant: the provider's secret (`secrets: ['apple', 'google']`). */

const ENV_PREFIX: Record<FederatedProvider, string> = { apple: 'APPLE', google: 'GOOGLE' };

/** A provider's settings, read once per instance (a new secret value arrives with the next cold start). */
export const providerSettings = (provider: FederatedProvider): Promise<ProviderSettings> => {
  const arn = optionalEnv(PARTNER_SECRET_ENV[provider]);
  return arn ? providerSettingsFromSecret(arn) : Promise.resolve(providerSettingsFromEnv(provider));
};

/** Locally the simulator's URL; in AWS the production issuer (its first form: the one with a discovery document). */
const configuredIssuer = (provider: FederatedProvider): string | undefined => optionalEnv(`${ENV_PREFIX[provider]}_ISSUER`);

const providerTimeoutMs = () => Math.min(settings().PARTNER_TIMEOUT_MS, partnerBudgetMs(settings().PARTNER_BUDGET_MS));

/** Whose tokens a provider's issuer signs, and with which keys: locally the simulators' URLs; in AWS the production issuers and key sets. */
export function providerTrust(provider: FederatedProvider) {
  const issuer = configuredIssuer(provider);
  const issuers = issuer ? (provider === 'google' ? [issuer, issuer.replace(/^https?:\/\//, '')] : [issuer]) : PRODUCTION_ISSUERS[provider];
  const keys = once(() =>
    remoteProviderKeys(optionalEnv(`${ENV_PREFIX[provider]}_JWKS_URL`) ?? PRODUCTION_JWKS_URLS[provider], {
      timeoutMs: providerTimeoutMs(),
    }),
  );
  return { issuers, keys };
}

function verifierBuilder(provider: FederatedProvider) {
  const { issuers, keys } = providerTrust(provider);
  let built: Promise<IdTokenVerifier | undefined> | undefined;
  return () => {
    built ??= providerSettings(provider)
      .then((found) =>
        found.clientIds.length
          ? new IdTokenVerifier(
              { provider, issuers, clientIds: found.clientIds, ...(found.hostedDomain ? { hostedDomain: found.hostedDomain } : {}) },
              keys(),
              systemClock,
            )
          : undefined,
      )
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return built;
  };
}

// Built on first use, not when the module loads: the provider's URLs are read from the environment then (a local
// stack sets them after a process may already have loaded the runtime).
const verifiers = { apple: once(() => verifierBuilder('apple')), google: once(() => verifierBuilder('google')) } as const;

export const federatedIdentityStore = /* @__PURE__ */ once(() => new DynamoFederatedIdentityStore(documentClient(), tableName()));

export const federatedSignIn = /* @__PURE__ */ once(
  () =>
    new FederatedSignIn({
      verifierFor: (provider) => verifiers[provider]()(),
      identities: federatedIdentityStore(),
      accounts: credentialStore(),
      throttles: throttleStore(),
      addressLimit: { take: (ip, now) => signInThrottle().takeAddress(ip, now) },
      hasher: hasher(),
      sessions: sessions(),
      tokens: accessTokens(),
      secondFactors: lazySecondFactors,
      termsRequired: settings().TERMS_REQUIRED,
      clock: systemClock,
    }),
);

/** The web flow's client per provider (discovery fetched once per instance; a failure is tried again next time). Grant: the provider's secret. */
function webClientBuilder(provider: FederatedProvider) {
  let built: Promise<ProviderWebClient | undefined> | undefined;
  return () => {
    built ??= providerSettings(provider)
      .then((found) =>
        providerWebClient({ provider, issuer: configuredIssuer(provider) ?? PRODUCTION_ISSUERS[provider][0], settings: found, timeoutMs: providerTimeoutMs() }),
      )
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return built;
  };
}

// Built on first use, like the verifiers: the issuer is read from the environment then.
const webClients = { apple: once(() => webClientBuilder('apple')), google: once(() => webClientBuilder('google')) } as const;

/** "Continue with Apple / Google" on the pages (docs/native-sign-in.md, "Web pages"). */
export const webSignIn = /* @__PURE__ */ once(
  () =>
    new WebSignIn({
      webClientFor: (provider) => webClients[provider]()(),
      store: new DynamoWebSignInStore(documentClient(), tableName()),
      federatedSignIn: federatedSignIn(),
      providerTokens: providerTokenRevocation(),
      identities: federatedIdentityStore(),
      linking: identityLinking(),
      onRefreshTokenNotKept: (reason) => {
        log.warn('an Apple refresh token could not be kept after the web sign-in', { reason });
        count('PartnerCallFailed', { partner: 'apple' });
      },
      publicBaseUrl: publicBaseUrl(),
      clock: systemClock,
    }),
);

/** "Linked sign-in methods" on /account and as an API (docs/native-sign-in.md). */
export const linkedIdentities = /* @__PURE__ */ once(
  () =>
    new LinkedIdentities({
      identities: federatedIdentityStore(),
      accounts: credentialStore(),
      factors: factorStore(),
      secondFactors: { requireRecentFactorIfEnrolled: (...args) => secondFactors().requireRecentFactorIfEnrolled(...args) },
    }),
);

/** Linking Apple or Google from /account: the ticket, then the web flow's callback links (docs/native-sign-in.md). */
export const identityLinking = /* @__PURE__ */ once(
  () =>
    new IdentityLinking({
      tickets: new DynamoWebSignInStore(documentClient(), tableName()),
      identities: federatedIdentityStore(),
      accounts: { sessionStanding: (...args) => sessionStore().sessionStanding(...args), getProfile: (userId) => credentialStore().getProfile(userId) },
      secondFactors: { requireRecentAuthentication: (...args) => secondFactors().requireRecentAuthentication(...args) },
      clock: systemClock,
    }),
);
